package dev.oidcgate.samples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The one-command demo: a development OpenID provider (mock-oauth2-server, with its login page), an
 * httpbin-like upstream, and the sample WAR, unchanged, on Jetty, all on 127.0.0.1. With {@code
 * OIDC_ISSUER}, {@code OIDC_CLIENT_ID} and {@code OIDC_CLIENT_SECRET} set, that provider is used
 * instead of the embedded one. Closing it stops everything it started.
 */
public final class Demo implements AutoCloseable {

  /** The client the demo registers with the embedded provider (which accepts any). */
  public static final String DEMO_CLIENT_ID = "oidc-gate-demo";

  public static final String DEMO_CLIENT_SECRET = "demo-secret";

  private final MockOAuth2Server idp;
  private final Server upstream;
  private final Process webapp;
  private final URI appUri;
  private final String issuer;

  private Demo(MockOAuth2Server idp, Server upstream, Process webapp, URI appUri, String issuer) {
    this.idp = idp;
    this.upstream = upstream;
    this.webapp = webapp;
    this.appUri = appUri;
    this.issuer = issuer;
  }

  /**
   * Starts everything and waits until the app answers.
   *
   * @param appPort the app's port (0: any free one)
   * @param idpPort the embedded provider's port (0: any free one)
   * @param war the sample WAR
   * @param env the environment to read {@code OIDC_*} and {@code UPSTREAM_URL} from
   */
  public static Demo start(int appPort, int idpPort, Path war, Map<String, String> env)
      throws Exception {
    if (!Files.isRegularFile(war)) {
      throw new IllegalStateException(
          "The sample WAR is missing at " + war + "; build it with the demo command");
    }
    MockOAuth2Server idp = null;
    String issuer = env.get("OIDC_ISSUER");
    String clientId = env.getOrDefault("OIDC_CLIENT_ID", DEMO_CLIENT_ID);
    String clientSecret = env.getOrDefault("OIDC_CLIENT_SECRET", DEMO_CLIENT_SECRET);
    if (issuer == null || issuer.isBlank()) {
      idp =
          new MockOAuth2Server(
              OAuth2Config.Companion.fromJson(
                  "{\"interactiveLogin\":true,\"httpServer\":\"NettyWrapper\"}"));
      idp.start(InetAddress.getByName("127.0.0.1"), idpPort);
      issuer = idp.issuerUrl("default").toString().replaceAll("/$", "");
      clientId = DEMO_CLIENT_ID;
      clientSecret = DEMO_CLIENT_SECRET;
    }
    Server upstream = null;
    String upstreamUrl = env.get("UPSTREAM_URL");
    if (upstreamUrl == null || upstreamUrl.isBlank()) {
      upstream = new Server();
      ServerConnector connector = new ServerConnector(upstream);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      upstream.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder(new HttpbinServlet()), "/*");
      upstream.setHandler(context);
      upstream.start();
      upstreamUrl = "http://127.0.0.1:" + connector.getLocalPort();
    }

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WebAppServer.class.getName());
    command.add(war.toString());
    command.add(Integer.toString(appPort));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> childEnv = pb.environment();
    childEnv.put("OIDC_ISSUER", issuer);
    childEnv.put("OIDC_CLIENT_ID", clientId);
    childEnv.put("OIDC_CLIENT_SECRET", clientSecret);
    childEnv.put("UPSTREAM_URL", upstreamUrl);
    copyIfSet(env, childEnv, "OIDC_REDIRECT_URI");
    copyIfSet(env, childEnv, "OIDC_SESSION_SECRET");
    // Any other OIDC_* setting goes to the WAR as well (e.g. what oidc-gate-doctor prints:
    // OIDC_PROVIDER, OIDC_EXTERNAL_URL).
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("OIDC_") && !childEnv.containsKey(e.getKey())) {
        copyIfSet(env, childEnv, e.getKey());
      }
    }
    Process webapp = pb.start();
    int port = awaitReady(webapp);
    return new Demo(idp, upstream, webapp, URI.create("http://localhost:" + port), issuer);
  }

  private static void copyIfSet(Map<String, String> from, Map<String, String> to, String name) {
    String value = from.get(name);
    if (value != null && !value.isBlank()) {
      to.put(name, value);
    } else {
      to.remove(name);
    }
  }

  /** Passes the web app's output on and returns its port once it says it is ready. */
  private static int awaitReady(Process webapp) throws IOException, InterruptedException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(webapp.getInputStream(), StandardCharsets.UTF_8));
    int[] port = {-1};
    Object lock = new Object();
    Thread pump =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("WEBAPP-READY ")) {
                    synchronized (lock) {
                      port[0] = Integer.parseInt(line.substring("WEBAPP-READY ".length()).trim());
                      lock.notifyAll();
                    }
                  } else {
                    System.out.println("[app] " + line);
                  }
                }
              } catch (IOException e) {
                // the web app ended
              }
            },
            "demo-webapp-output");
    pump.setDaemon(true);
    pump.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    synchronized (lock) {
      while (port[0] < 0 && webapp.isAlive() && Instant.now().isBefore(deadline)) {
        lock.wait(200);
      }
    }
    if (port[0] < 0) {
      webapp.destroyForcibly();
      throw new IllegalStateException("The sample web app did not start; its output is above");
    }
    return port[0];
  }

  public URI appUri() {
    return appUri;
  }

  public String issuer() {
    return issuer;
  }

  @Override
  public void close() {
    webapp.destroy();
    try {
      if (!webapp.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        webapp.destroyForcibly();
      }
    } catch (InterruptedException e) {
      webapp.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (upstream != null) {
      try {
        upstream.stop();
      } catch (Exception e) {
        // stopping anyway
      }
    }
    if (idp != null) {
      idp.shutdown();
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    int appPort = Integer.parseInt(env.getOrDefault("DEMO_PORT", "8080"));
    int idpPort = Integer.parseInt(env.getOrDefault("DEMO_IDP_PORT", "8081"));
    Path war = args.length > 0 ? Path.of(args[0]) : defaultWar();
    Demo demo = start(appPort, idpPort, war, env);
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
    System.out.println();
    System.out.println("  OIDC Gate demo is running.");
    System.out.println(
        "  Identity provider: "
            + demo.issuer()
            + (env.containsKey("OIDC_ISSUER") ? "" : "  (any user name signs in)"));
    System.out.println();
    System.out.println(
        "  Open  "
            + demo.appUri()
            + "/oidc-route/get   sign in, see the upstream's echo with your token");
    System.out.println("        " + demo.appUri() + "/me               your claims");
    System.out.println("        " + demo.appUri() + "/oidc-route/logout");
    System.out.println(
        "        " + demo.appUri() + "/api/get          bearer tokens only (401 without)");
    System.out.println();
    System.out.println("  Ctrl+C stops it.");
    Thread.currentThread().join();
  }

  /** The WAR the build copies next to the demo's jar (target/sample-webapp.war). */
  private static Path defaultWar() {
    try {
      Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.getParent().resolve("sample-webapp.war");
    } catch (java.net.URISyntaxException e) {
      return Path.of("samples", "demo", "target", "sample-webapp.war");
    }
  }
}
