package dev.oidcgate.samples.demo;

import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs the sample WAR, unchanged, on Jetty 12 at the root context. It runs in its own JVM because
 * the WAR is configured only by environment variables, exactly as a container image would be.
 */
public final class WebAppServer {

  private WebAppServer() {}

  /**
   * @param args the WAR's path and the port to listen on (127.0.0.1)
   */
  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(Integer.parseInt(args[1]));
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(Path.of(args[0]).toAbsolutePath().toString());
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);
    server.setStopAtShutdown(true);
    server.start();
    System.out.println("WEBAPP-READY " + connector.getLocalPort());
    server.join();
  }
}
