package dev.oidcgate.doctor;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.idp.IdpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;

/**
 * The "client authentication" check: a client credentials grant at the token endpoint,
 * authenticated exactly as the filter will (secret or private_key_jwt); when the IdP refuses the
 * grant, an introspection call tells whether the client itself authenticated. A token it gets also
 * settles a clock line the Date header left open.
 */
final class ClientAuthCheck {

  private final Options options;
  private final Report report;
  private final ClockCheck clock;

  ClientAuthCheck(Options options, Report report, ClockCheck clock) {
    this.options = options;
    this.report = report;
    this.clock = clock;
  }

  void check(OIDCProviderMetadata metadata, IdpClient client, ClientAuthenticationMethod method) {
    String check = "client authentication";
    TokenResponse answer;
    Instant sent = Instant.now();
    try {
      answer = client.probeClientCredentials();
    } catch (IOException e) {
      report.fail(
          check, "the token endpoint cannot be reached: " + e.getMessage(), "open the way to it");
      return;
    } catch (ParseException e) {
      report.fail(
          check,
          "the token endpoint's answer is no OAuth token response: " + e.getMessage(),
          "check token_endpoint in the discovery document");
      return;
    } catch (OidcErrorException e) {
      report.fail(check, "the token endpoint is unknown", "check the discovery document");
      return;
    }
    if (answer.indicatesSuccess()) {
      Instant received = Instant.now();
      clock.fromAccessToken(answer.toSuccessResponse(), sent, received);
      report.pass(
          check,
          "client "
              + options.clientId().orElse("")
              + " authenticated with "
              + method.getValue()
              + " (the client credentials grant gave a token)");
      return;
    }
    ErrorObject error = answer.toErrorResponse().getErrorObject();
    String code = error.getCode() == null ? "(no error code)" : error.getCode();
    String said =
        code
            + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")")
            + ", HTTP "
            + error.getHTTPStatusCode();
    URI introspection = metadata.getIntrospectionEndpointURI();
    if (introspection != null) {
      // The grant's refusal does not say whether the client authenticated (Keycloak answers
      // unauthorized_client to a wrong secret and to a grant not allowed alike); introspection,
      // which every authenticated client may call, does.
      String intro;
      try {
        TokenIntrospectionResponse r = client.probeIntrospection(introspection);
        if (r.indicatesSuccess()) {
          report.pass(
              check,
              "client "
                  + options.clientId().orElse("")
                  + " authenticated at the introspection endpoint; the token endpoint refused it"
                  + " the client credentials grant, which the filter does not need: "
                  + said);
          return;
        }
        ErrorObject e = r.toErrorResponse().getErrorObject();
        intro =
            (e.getCode() == null ? "(no error code)" : e.getCode())
                + (e.getDescription() == null ? "" : " (" + e.getDescription() + ")")
                + ", HTTP "
                + e.getHTTPStatusCode();
      } catch (IOException | ParseException e) {
        intro = "no answer (" + e.getMessage() + ")";
      }
      report.fail(
          check,
          "the IdP refused client "
              + options.clientId().orElse("")
              + ": "
              + said
              + "; at the introspection endpoint too: "
              + intro,
          "copy the client secret again from the IdP's console and check the client id; if the"
              + " IdP wants the secret in the form, set tokenEndpointAuthMethod=client_secret_post");
      return;
    }
    switch (code) {
      case "invalid_client" ->
          report.fail(
              check,
              "the IdP refused client " + options.clientId().orElse("") + ": " + said,
              "copy the client secret again from the IdP's console and check the client id; if"
                  + " the IdP wants the secret in the form, set"
                  + " tokenEndpointAuthMethod=client_secret_post");
      default ->
          report.warn(
              check,
              "the IdP refused the client credentials grant ("
                  + said
                  + ") and has no introspection endpoint: whether the client authenticated is"
                  + " unknown",
              "sign in once: a wrong secret fails the login at the callback; or allow the client"
                  + " the client credentials grant for this check");
    }
  }
}
