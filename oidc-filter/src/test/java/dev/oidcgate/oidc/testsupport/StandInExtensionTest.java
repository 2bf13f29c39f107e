package dev.oidcgate.oidc.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
/**
 * The extensions start a stand-in for each field and each parameter, and stop all of them, and
 * every filter server started through {@link FilterServers}, once the test ends (the second test
 * finds the first one's servers gone).
 */
class StandInExtensionTest {
  private static URI opUri;
  private static URI paramUri;
  private static FilterServer app0;
  private TestAuthServer op;
  private FilterServers apps;

  @Test
  @Order(1)
  void fieldsAndParametersEachGetARunningServer(TestAuthServer other) throws Exception {
    assertThat(other).isNotSameAs(op);
    opUri = URI.create(op.issuer() + "/.well-known/openid-configuration");
    paramUri = URI.create(other.issuer() + "/.well-known/openid-configuration");
    app0 = apps.start(op.filterParams());
    assertThat(get(opUri)).isEqualTo(200);
    assertThat(get(paramUri)).isEqualTo(200);
  }

  @Test
  @Order(2)
  void theServersOfTheTestBeforeAreStopped() {
    assertThat(app0.isRunning()).isFalse();
    assertThatThrownBy(() -> get(opUri)).isInstanceOf(java.net.ConnectException.class);
    assertThatThrownBy(() -> get(paramUri)).isInstanceOf(java.net.ConnectException.class);
  }

  private static int get(URI u) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
