package dev.oidcgate.testserver;

import jakarta.servlet.Servlet;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Jetty 12 listening on an ephemeral port of 127.0.0.1 only, for the stand-ins and servers
 * of every module's tests (the filter's IdP and app, the proxy's upstream and host, the benchmark
 * servers). Started by {@link #serve} or {@link #builder()}; {@link #close()} stops it.
 */
public final class LoopbackJetty implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final Server server;
  private final ServerConnector connector;
  private final OpenConnections connections = new OpenConnections();
  private final String scheme;
  private final int port;

  private LoopbackJetty(Builder b) throws Exception {
    server = b.threads == null ? new Server() : new Server(b.threads);
    HttpConnectionFactory http = new HttpConnectionFactory(b.http);
    connector =
        b.tls == null
            ? new ServerConnector(server, http)
            : new ServerConnector(
                server, new SslConnectionFactory(b.tls, HttpVersion.HTTP_1_1.asString()), http);
    connector.setHost(HOST);
    connector.setPort(0);
    connector.addBean(connections);
    server.addConnector(connector);
    server.setHandler(b.handler);
    server.start();
    port = connector.getLocalPort();
    scheme = b.tls == null ? "http" : "https";
  }

  /** {@code servlet} at {@code /*} of the root context, over plain HTTP. */
  public static LoopbackJetty serve(Servlet servlet) throws Exception {
    return serve("/", Map.of("/*", servlet));
  }

  /** Each servlet at its mapping (the key) in one context, over plain HTTP. */
  public static LoopbackJetty serve(String contextPath, Map<String, ? extends Servlet> servlets)
      throws Exception {
    return builder().handler(context(contextPath, servlets)).start();
  }

  /** A context with each servlet at its mapping (the key), to configure further before starting. */
  public static ServletContextHandler context(
      String contextPath, Map<String, ? extends Servlet> servlets) {
    ServletContextHandler context = new ServletContextHandler(contextPath);
    servlets.forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
    return context;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return port;
  }

  /** {@code scheme://127.0.0.1:port}, without a trailing slash. */
  public URI url() {
    return URI.create(scheme + "://" + HOST + ":" + port);
  }

  /** {@code scheme://127.0.0.1:port} followed by {@code path} as given. */
  public URI url(String path) {
    return URI.create(url() + path);
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  /** Connections open at this server now, from any client. */
  public long openConnections() {
    return connections.open.get();
  }

  /** Stops listening and drops every connection: the server is down (connections are refused). */
  public void stopListening() throws Exception {
    connector.stop();
  }

  /** Listens again, on the same port. */
  public void listenAgain() throws Exception {
    connector.setPort(port);
    // A socket of the port's last life can hold it a moment longer (a connection the server
    // dropped while its client still has it open): "Address already in use" was seen once in 10
    // full runs. Retry the bind for up to 5 s rather than fail the test.
    for (int attempt = 1; ; attempt++) {
      try {
        connector.start();
        return;
      } catch (IOException e) {
        connector.stop();
        if (attempt == 100) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  /** Blocks until the server stops, for mains that run until killed. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /**
   * Counts connections opened and closed. Not Jetty's {@code ConnectionStatistics}: that one is
   * stopped with the connector and ignores the connections closed meanwhile, so after {@link
   * #stopListening()} its count stayed up for good.
   */
  private static final class OpenConnections implements Connection.Listener {
    final AtomicLong open = new AtomicLong();

    @Override
    public void onOpened(Connection connection) {
      open.incrementAndGet();
    }

    @Override
    public void onClosed(Connection connection) {
      open.decrementAndGet();
    }
  }

  /** What differs between the servers: threads, HTTP settings, TLS and the handler. */
  public static final class Builder {
    private QueuedThreadPool threads;
    private HttpConfiguration http = new HttpConfiguration();
    private SslContextFactory.Server tls;
    private Handler handler;

    private Builder() {}

    /** A named pool of at most {@code max} threads (Jetty's default pool otherwise). */
    public Builder threads(int max, int min, String name) {
      threads = new QueuedThreadPool(max, min);
      threads.setName(name);
      return this;
    }

    /**
     * Runs requests on virtual threads (Java 21+): Jetty's pool keeps its selector threads and
     * hands each blocking task (a servlet call) to a new virtual thread. Fails when the running JVM
     * has none.
     */
    public Builder virtualThreads() {
      if (threads == null) {
        threads = new QueuedThreadPool();
      }
      Executor virtual = VirtualThreads.getDefaultVirtualThreadsExecutor();
      if (virtual == null) {
        throw new IllegalStateException("this JVM has no virtual threads (Java 21+ needed)");
      }
      threads.setVirtualThreadsExecutor(virtual);
      return this;
    }

    public Builder http(HttpConfiguration http) {
      this.http = http;
      return this;
    }

    /** Serves HTTPS with this key store instead of plain HTTP. */
    public Builder tls(SslContextFactory.Server tls) {
      this.tls = tls;
      return this;
    }

    public Builder handler(Handler handler) {
      this.handler = handler;
      return this;
    }

    public LoopbackJetty start() throws Exception {
      if (handler == null) {
        throw new IllegalStateException("no handler to serve");
      }
      return new LoopbackJetty(this);
    }
  }
}
