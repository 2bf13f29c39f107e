package dev.oidcgate.bench;

import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.proxy.ProxyConfig;
import dev.oidcgate.proxy.ProxyServlet;
import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * The servers {@code benchmarks/run} drives with wrk: a backend, and one front server whose
 * contexts are the routes compared, so that alternating rounds meet the same JVM and load.
 *
 * <ul>
 *   <li>{@code /plain}: the backend's answer, no filter;
 *   <li>{@code /filter}: the same behind {@link OidcFilter} (default token cache);
 *   <li>{@code /fresh}: the filter remembering one token, for a new token per request;
 *   <li>{@code /session}: the filter with a cookie session;
 *   <li>{@code /route}: the filter in front of our proxy, like the sample WAR's API route;
 *   <li>{@code /ours}, {@code /jetty}, {@code /jetty-async}, {@code /mitre}: proxy servlets to the
 *       backend;
 *   <li>{@code /jwks}: the bench IdP's public keys, for Spring Cloud Gateway's resource server.
 * </ul>
 *
 * <p>Usage: {@code BenchServer <dir>}; writes {@code ports}, {@code seen-token}, {@code
 * fresh-tokens}, {@code session-cookie} and {@code rsa-public.pem} there and runs until killed.
 * With {@code -Dbench.virtualThreads=true} (Java 21+) the front server runs its servlets, filters
 * and proxies on virtual threads; with {@code -Dbench.tomcat=true} it also starts {@link
 * TomcatFront} twice, on platform and on virtual threads.
 */
public final class BenchServer {

  private static final int FRESH_TOKENS = 1000;

  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    BenchIdp idp = new BenchIdp();
    LoopbackJetty backend =
        LoopbackJetty.builder().handler(context("/", servlet(new Backend.Hello()), null)).start();
    String backendUri = backend.url().toString();

    List<ServletContextHandler> contexts = new ArrayList<>();
    contexts.add(context("/plain", servlet(new Backend.Hello()), null));
    contexts.add(context("/filter", servlet(new Backend.Hello()), idp.config().build()));
    contexts.add(
        context(
            "/fresh",
            servlet(new Backend.Hello()),
            idp.config().set("tokenCacheSize", "1").build()));
    contexts.add(
        context(
            "/session",
            servlet(new Backend.Hello()),
            idp.config().set("credentials", "session").build()));
    contexts.add(context("/route", proxy(backendUri), idp.config().build()));
    contexts.add(context("/ours", proxy(backendUri), null));
    contexts.add(context("/jetty", Competitors.jetty(backendUri), null));
    contexts.add(context("/jetty-async", Competitors.jettyAsync(backendUri), null));
    contexts.add(context("/mitre", Competitors.mitre(backendUri), null));
    contexts.add(
        context(
            "/requester",
            servlet(
                new dev.oidcgate.proxy.RequesterProxyServlet(
                    ProxyConfig.builder().targetUri(backendUri + "/api").build())),
            null));
    contexts.add(
        context(
            "/async",
            servlet(
                new dev.oidcgate.proxy.AsyncProxyServlet(
                    ProxyConfig.builder().targetUri(backendUri + "/api").build())),
            null));
    contexts.add(context("/heap", servlet(new Backend.Heap()), null));
    contexts.add(context("/jwks", servlet(new Backend.Jwks(idp.publicKeys().toString())), null));
    LoopbackJetty.Builder frontBuilder =
        LoopbackJetty.builder()
            .handler(new ContextHandlerCollection(contexts.toArray(new ServletContextHandler[0])));
    if (Boolean.getBoolean("bench.virtualThreads")) {
      frontBuilder.virtualThreads(); // benchmarks/run with VIRTUAL_THREADS=1 (Java 21+)
    }
    LoopbackJetty front = frontBuilder.start();
    int frontPort = front.port();

    Files.writeString(dir.resolve("seen-token"), idp.rs256("alice") + "\n");
    Files.writeString(dir.resolve("rsa-public.pem"), idp.rsaPublicPem()); // for apache.sh
    StringBuilder fresh = new StringBuilder();
    for (int i = 0; i < FRESH_TOKENS; i++) {
      fresh.append(idp.rs256("user-" + i)).append('\n');
    }
    Files.writeString(dir.resolve("fresh-tokens"), fresh);
    Files.writeString(
        dir.resolve("session-cookie"), BrowserLogin.sessionCookie(idp, frontPort) + "\n");
    String ports = "front=" + frontPort + "\nbackend=" + backend.port() + "\n";
    if (Boolean.getBoolean("bench.tomcat")) {
      // benchmarks/run with VIRTUAL_THREADS=1: the route on Tomcat 11, platform and virtual.
      for (boolean virtual : new boolean[] {false, true}) {
        TomcatFront tomcat =
            TomcatFront.start(
                virtual,
                new Backend.Hello(),
                new ProxyServlet(ProxyConfig.builder().targetUri(backendUri + "/api").build()),
                idp.config().build());
        ports += (virtual ? "tomcatvt=" : "tomcat=") + tomcat.port() + "\n";
      }
    }
    Files.writeString(dir.resolve("ports"), ports);
    front.join();
  }

  private static ServletHolder proxy(String backendUri) {
    return new ServletHolder(
        new ProxyServlet(ProxyConfig.builder().targetUri(backendUri + "/api").build()));
  }

  private static ServletHolder servlet(Servlet servlet) {
    return new ServletHolder(servlet);
  }

  /** A servlet at {@code /*} of a context, with the filter in front when a config is given. */
  private static ServletContextHandler context(
      String path, ServletHolder holder, OidcConfig filterConfig) {
    ServletContextHandler context = new ServletContextHandler(path);
    holder.setInitOrder(0);
    context.addServlet(holder, "/*");
    if (filterConfig != null) {
      context.addFilter(
          new FilterHolder(new OidcFilter(filterConfig)), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    return context;
  }
}
