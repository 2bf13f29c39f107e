package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bearer tokens of two issuers in one filter ({@code issuer} and {@code additionalIssuers}); a
 * third issuer's tokens, and tokens signed by one issuer's key but naming another, are refused. All
 * three stand-ins use the same {@code kid}, so only the key material tells them apart.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class AdditionalIssuersTest {

  private TestIdp first;
  private TestIdp second;
  private TestIdp third;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", first.issuer());
    p.put("additionalIssuers", second.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    app = apps.start(p);
  }

  @Test
  void tokensOfBothListedIssuersAreAcceptedAndAThirdIssuersAreNot() throws Exception {
    var fromFirst = app.getWithToken(first.rs256(c -> c.subject("ann")));
    var fromSecond = app.getWithToken(second.rs256(c -> c.subject("ben")));
    var fromThird = app.getWithToken(third.rs256(c -> {}));

    assertThat(fromFirst.statusCode()).isEqualTo(200);
    assertThat(seen(fromFirst).get("principal")).isEqualTo("ann");
    assertThat(fromSecond.statusCode()).isEqualTo(200);
    assertThat(seen(fromSecond).get("principal")).isEqualTo("ben");
    assertThat(fromThird.statusCode()).isEqualTo(401);
    assertThat(third.jwksRequests()).as("an unlisted issuer's keys are never fetched").isZero();
  }

  @Test
  void oneIssuersKeyNeverVerifiesATokenNamingTheOther() throws Exception {
    String secondSignsAsFirst = second.rs256(c -> c.issuer(first.issuer()));
    String firstSignsAsSecond = first.rs256(c -> c.issuer(second.issuer()));
    String thirdSignsAsSecond = third.rs256(c -> c.issuer(second.issuer()));

    assertThat(app.getWithToken(secondSignsAsFirst).statusCode()).isEqualTo(401);
    assertThat(app.getWithToken(firstSignsAsSecond).statusCode()).isEqualTo(401);
    assertThat(app.getWithToken(thirdSignsAsSecond).statusCode()).isEqualTo(401);
  }
}
