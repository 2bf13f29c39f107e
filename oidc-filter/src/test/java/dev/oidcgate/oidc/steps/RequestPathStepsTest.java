package dev.oidcgate.oidc.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.StartedGates;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import dev.oidcgate.oidc.web.BackchannelLogoutEndpoint;
import dev.oidcgate.oidc.web.FilterPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which steps a request goes through, as {@link RequestPath#build} lays them out at init for a
 * configuration (against a stand-in IdP over loopback HTTP): a feature that is off costs a request
 * nothing because its step is not on the path, and its key alone puts it there, where its check
 * belongs. The steps of this round: anti-forgery, upstream token, replay of a preserved POST,
 * front-channel logout, the client's JWKS, back-channel logout and the DPoP scheme in {@link
 * Credentials}.
 */
@Timeout(60)
@ExtendWith(TestIdpExtension.class)
class RequestPathStepsTest {

  private static final String CONTEXT = "/app";
  private static final List<String> PATTERNS = List.of("/*");

  private TestIdp idp;
  @TempDir Path dir;
  private final List<IssuerGates> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(IssuerGates::close);
  }

  /** A resource server: tokens only, no client secret, so no login and no sessions. */
  private Map<String, String> bearerOnly() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    return p;
  }

  /** An app that logs people in: the same with the client secret. */
  private Map<String, String> withLogin() {
    Map<String, String> p = bearerOnly();
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    return p;
  }

  private RequestPath path(Map<String, String> params) {
    OidcConfig config = OidcConfig.fromInitParams(params);
    IssuerGates gates = StartedGates.start(config);
    started.add(gates);
    config = gates.main().config();
    FilterPaths paths =
        FilterPaths.resolve(config.login(), config.logout(), CONTEXT, PATTERNS)
            .withCallbacksOf(gates.callbackNames());
    return RequestPath.build(
        gates,
        paths,
        BackchannelLogoutEndpoint.resolve(config.cluster(), CONTEXT, PATTERNS),
        CONTEXT,
        PATTERNS);
  }

  private List<Class<?>> steps(Map<String, String> params) {
    List<Class<?>> classes = new ArrayList<>();
    for (RequestStep step : path(params).steps()) {
      classes.add(step.getClass());
    }
    return classes;
  }

  private boolean looksForDpop(Map<String, String> params) {
    return path(params).steps().stream()
        .filter(CredentialsStep.class::isInstance)
        .map(s -> ((CredentialsStep) s).credentials())
        .findFirst()
        .orElseThrow()
        .looksForDpopTokens();
  }

  @Test
  void aBearerOnlyFilterByDefaultGoesThroughTheCoreStepsAndNoneOfThisRounds() {
    // PreflightStep: corsPreflight's default is not off (an earlier round's step).
    assertThat(steps(bearerOnly()))
        .containsExactly(
            StripIdentityStep.class,
            PreflightStep.class,
            CredentialsStep.class,
            StepUpStep.class,
            UnauthenticatedStep.class);
  }

  @Test
  void aLoginFilterByDefaultAddsTheLoginEndpointsAndBackchannelLogoutOnly() {
    // Back-channel logout is on wherever sessions are kept (documented default of
    // backchannelLogoutPath); none of the other steps of this round is.
    assertThat(steps(withLogin()))
        .containsExactly(
            BackchannelLogoutStep.class,
            StripIdentityStep.class,
            PreflightStep.class,
            ScriptEndpointsStep.class,
            LogoutStep.class,
            CallbackStep.class,
            CredentialsStep.class,
            StepUpStep.class,
            UnauthenticatedStep.class);
  }

  @Test
  void antiForgeryHeaderPutsItsStepRightAfterTheCredentials() {
    Map<String, String> p = withLogin();
    p.put("antiForgeryHeader", "X-CSRF");

    List<Class<?>> steps = steps(p);

    assertThat(steps).containsSubsequence(CredentialsStep.class, AntiForgeryStep.class);
    assertThat(steps.indexOf(AntiForgeryStep.class))
        .isEqualTo(steps.indexOf(CredentialsStep.class) + 1);
  }

  @Test
  void upstreamTokenExchangeOrClientPutsItsStepBetweenCredentialsAndStepUp() {
    for (String kind : List.of("exchange", "client")) {
      Map<String, String> p = withLogin();
      p.put("upstreamToken", kind);

      assertThat(steps(p))
          .as(kind)
          .containsSubsequence(CredentialsStep.class, UpstreamTokenStep.class, StepUpStep.class);
    }
  }

  @Test
  void anUpstreamTokenOnOnePathRuleLineAlsoPutsTheStepOnThePath() {
    Map<String, String> p = withLogin();
    p.put("pathRules", "/orders/* upstream_token=exchange upstream_audience=orders");

    assertThat(steps(p)).contains(UpstreamTokenStep.class);
  }

  @Test
  void preservePostPutsTheReplayBeforeTheCredentials() {
    Map<String, String> p = withLogin();
    p.put("preservePost", "on");

    assertThat(steps(p))
        .containsSubsequence(CallbackStep.class, ReplayStep.class, CredentialsStep.class);
  }

  @Test
  void frontchannelLogoutPathPutsItsStepRightAfterStripping() {
    Map<String, String> p = withLogin();
    p.put("frontchannelLogoutPath", "/oidc-route/frontchannel-logout");

    List<Class<?>> steps = steps(p);

    assertThat(steps.indexOf(FrontchannelLogoutStep.class))
        .isEqualTo(steps.indexOf(StripIdentityStep.class) + 1);
  }

  @Test
  void clientJwksPathWithASigningKeyPutsItsStepBeforeTheLoginEndpoints() throws Exception {
    Path key =
        Files.writeString(
            dir.resolve("client.jwk"),
            new ECKeyGenerator(Curve.P_256).keyID("client-1").generate().toJSONString());
    Map<String, String> p = withLogin();
    p.put("clientSigningKey", key.toString());
    p.put("clientJwksPath", "/jwks");

    assertThat(steps(p))
        .containsSubsequence(StripIdentityStep.class, ClientJwksStep.class, LogoutStep.class);
  }

  @Test
  void aBearerOnlyFilterWithABackchannelPathStillKeepsNoSessionsAndNoBackchannelStep() {
    Map<String, String> p = bearerOnly();
    p.put("backchannelLogoutPath", "/backchannel-logout");

    assertThat(steps(p)).doesNotContain(BackchannelLogoutStep.class);
  }

  @Test
  void theDpopSchemeIsLookedForUnlessDpopTokensIsRefuse() {
    // dpopTokens=accept is the default: a bearer request never reaches the DPoP resolver (it is
    // asked only when no Bearer credential was found), so it is kept on the path.
    assertThat(looksForDpop(bearerOnly())).isTrue();
    Map<String, String> refuse = bearerOnly();
    refuse.put("dpopTokens", "refuse");
    assertThat(looksForDpop(refuse)).isFalse();
  }
}
