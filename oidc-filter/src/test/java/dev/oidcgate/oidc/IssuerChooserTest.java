package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code loginIssuerChooser}: a login that names no issuer gets a page listing the allowed ones;
 * its links stay on the page asked for, and nothing from the request is written into it.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class IssuerChooserTest {

  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

  private TestAuthServer a;
  private TestAuthServer b;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    a.nextUser = "ann";
    b.nextUser = "ben";
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", a.issuer());
    p.put("clientId", TestAuthServer.CLIENT_ID);
    p.put("clientSecret", TestAuthServer.CLIENT_SECRET);
    p.put("additionalIssuers", b.issuer());
    p.put("issuerClients", "staff=" + a.issuer() + ", partners=" + b.issuer());
    p.put("loginIssuerChooser", "true");
    app = apps.start(p);
  }

  @Test
  void aLoginNamingNoIssuerShowsTheAllowedIssuersAndEachLinkSignsInThere() throws Exception {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = browser.get(app.uri("/resource"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    Matcher links = HREF.matcher(page.body());
    assertThat(links.find()).isTrue();
    assertThat(links.group(1)).isEqualTo("?oidc_issuer=staff");
    assertThat(links.find()).isTrue();
    assertThat(links.group(1)).isEqualTo("?oidc_issuer=partners");
    assertThat(a.authorizationRequests).isEmpty();
    assertThat(b.authorizationRequests).isEmpty();

    URI partners = page.uri().resolve("?oidc_issuer=partners");
    HttpResponse<String> signedIn = browser.navigate(partners);
    assertThat(seen(signedIn).get("principal")).isEqualTo("ben");
  }

  @Test
  void nothingFromTheRequestIsWrittenIntoThePage() throws Exception {
    HttpResponse<String> page =
        new TestBrowser()
            .get(app.uri("/resource/%3Cscript%3E?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).doesNotContain("<script").doesNotContain("alert");
    Matcher links = HREF.matcher(page.body());
    while (links.find()) {
      assertThat(links.group(1)).startsWith("?oidc_issuer=");
    }
  }

  @Test
  void anIssuerNamedInTheUrlSkipsThePage() throws Exception {
    HttpResponse<String> r = new TestBrowser().get(app.uri("/resource?oidc_issuer=staff"));

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(location(r).toString()).startsWith(a.issuer() + "/authorize");
  }
}
