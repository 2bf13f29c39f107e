package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.settings.Placeholders;
import dev.oidcgate.testlogs.StderrCapture;
import jakarta.servlet.Filter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The sample WAR's two filters with the init-params its {@code web.xml} writes, in a real Jetty,
 * configured by an environment of the test's choosing: a variable meant for the login route ({@code
 * OIDC_*}) never opens the bearer-only {@code /api/*} filter, which reads {@code OIDC_API_*}; the
 * start-up log names the keys taken from the environment, never their values.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class SampleFiltersEnvironmentTest {

  private static final Path WEB_XML =
      Path.of("..", "samples", "webapp", "src", "main", "webapp", "WEB-INF", "web.xml");

  private TestAuthServer idp;
  private FilterServers apps;
  private FilterServer app;

  /** Each filter's init-params, by filter name, as the sample's web.xml writes them. */
  private static Map<String, Map<String, String>> initParamsByFilter() throws Exception {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    NodeList filters =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(WEB_XML.toFile())
            .getElementsByTagName("filter");
    for (int i = 0; i < filters.getLength(); i++) {
      Element filter = (Element) filters.item(i);
      Map<String, String> params = new LinkedHashMap<>();
      NodeList init = filter.getElementsByTagName("init-param");
      for (int j = 0; j < init.getLength(); j++) {
        Element p = (Element) init.item(j);
        params.put(text(p, "param-name"), text(p, "param-value"));
      }
      out.put(text(filter, "filter-name"), params);
    }
    return out;
  }

  private static String text(Element parent, String tag) {
    return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
  }

  private Map<String, String> environment(String... more) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OIDC_ISSUER", idp.issuer());
    env.put("OIDC_CLIENT_ID", TestAuthServer.CLIENT_ID);
    env.put("OIDC_CLIENT_SECRET", TestAuthServer.CLIENT_SECRET);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /** The sample's filters on their URL patterns: {@code oidc-0} on /api/*, {@code oidc-1} next. */
  private String start(Map<String, String> env) throws Exception {
    Map<String, Map<String, String>> params = initParamsByFilter();
    Placeholders placeholders = new Placeholders(env::get, n -> null);
    Map<String, Filter> filters = new LinkedHashMap<>();
    filters.put(
        "/api/*",
        new OidcFilter(OidcConfig.fromInitParams(params.get("oidc-api"), placeholders, env::get)));
    filters.put(
        "/oidc-route/*",
        new OidcFilter(
            OidcConfig.fromInitParams(params.get("oidc-route"), placeholders, env::get)));
    try (StderrCapture logged = StderrCapture.start()) {
      app = apps.closeAfter(FilterServer.withFilterInstances(filters));
      return logged.text();
    }
  }

  @Test
  void unauthenticatedActionPassMeantForTheLoginRouteLeavesTheApiClosed() throws Exception {
    start(environment("OIDC_UNAUTHENTICATED_ACTION", "pass"));

    HttpResponse<String> api = app.get("/api/get", "Accept", "application/json");
    HttpResponse<String> route = app.get("/oidc-route/get", "Accept", "application/json");

    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"oidc-gate\"");
    assertThat(route.statusCode()).as("the route took the variable").isEqualTo(200);
  }

  @Test
  void theApiFilterReadsItsOwnPrefixAndTheLogNamesTheKeysNotTheValues() throws Exception {
    String log =
        start(
            environment(
                "OIDC_API_UNAUTHENTICATED_ACTION", "pass",
                "OIDC_API_GROUPS_CLAIM", "team-groups-from-env",
                "OIDC_GROUPS_CLAIM", "route-groups-from-env"));

    HttpResponse<String> api = app.get("/api/get", "Accept", "application/json");

    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(log)
        .contains("OIDC filter 'oidc-0' took groupsClaim, unauthenticatedAction from OIDC_API_*")
        .contains("OIDC filter 'oidc-1' took groupsClaim from OIDC_*")
        .doesNotContain("team-groups-from-env")
        .doesNotContain("route-groups-from-env")
        .doesNotContain(TestAuthServer.CLIENT_SECRET);
  }
}
