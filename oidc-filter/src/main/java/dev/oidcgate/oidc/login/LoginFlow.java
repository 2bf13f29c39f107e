package dev.oidcgate.oidc.login;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.AuthorizationRequestSettings;
import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.config.LogoutSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.idp.ClientSigner;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.token.IdTokenVerifier;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The authorization-code flow with PKCE, without servlet types: start a login, finish it at the
 * callback, end the session. It coordinates: the authorization request is built by {@link
 * AuthorizationRequests}, the code exchanged by {@link CodeExchange}, logout done by {@link
 * Logout}; the provider's endpoints are called by {@link IdpClient}, sessions are kept by {@link
 * SessionKeeper}. Thread-safe.
 */
public final class LoginFlow {

  /**
   * A finished login: the new session, where to send the browser, and the id of the form post kept
   * for it (empty for none).
   */
  public record Result(OidcSession session, String returnUrl, String preservedPost) {
    public Result(OidcSession session, String returnUrl) {
      this(session, returnUrl, "");
    }
  }

  /**
   * A silent login ({@code prompt=none}) the IdP could not finish without the person: the browser
   * goes back to {@code returnUrl} with {@code error}, one of {@link #INTERACTION_ERRORS}.
   */
  public record Declined(String returnUrl, String error) {}

  /** OIDC Core §3.1.2.6: the answers to {@code prompt=none} that mean the person is needed. */
  public static final java.util.Set<String> INTERACTION_ERRORS =
      java.util.Set.of(
          "login_required",
          "interaction_required",
          "consent_required",
          "account_selection_required");

  private final ProviderMetadataSource provider;
  private final SessionKeeper sessions;
  private final LoginTransactions logins;
  private final SafeEvents events;
  private final Clock clock;
  private final @Nullable JarmResponses jarm;
  // FAPI 2.0: a response without the RFC 9207 iss is refused even when the metadata is silent.
  private final boolean requireIssuer;
  private final AuthorizationRequests requests;
  private final CodeExchange codeExchange;
  private final Logout logout;

  LoginFlow(
      ProviderMetadataSource provider,
      IdpClient idp,
      IdTokenVerifier idTokens,
      AccessTokenInspector accessTokens,
      SessionKeeper sessions,
      LoginTransactions logins,
      LoginSettings settings,
      LogoutSettings logoutSettings,
      SafeEvents events,
      Clock clock,
      boolean dpop,
      @Nullable JarmResponses jarm,
      AuthorizationRequestSettings requestSettings,
      Optional<ClientSigner> signer,
      boolean requireIssuer) {
    this.provider = provider;
    this.sessions = sessions;
    this.logins = logins;
    this.events = events;
    this.clock = clock;
    this.jarm = jarm;
    this.requireIssuer = requireIssuer;
    this.requests = new AuthorizationRequests(idp, settings, requestSettings, signer, clock);
    this.codeExchange =
        new CodeExchange(idp, idTokens, accessTokens, sessions, settings, clock, dpop);
    this.logout = new Logout(provider, idp, sessions, logoutSettings, events);
  }

  /** Whether authorization responses come as signed JWTs (JARM, {@code responseMode=*jwt}). */
  public boolean jarm() {
    return jarm != null;
  }

  /**
   * The authorization response's parameters: as sent, or with JARM those of the {@code response}
   * JWT once its signature, {@code iss}, {@code aud} and {@code exp} are verified. With JARM a
   * response that is not a JWT is refused, so that a plain {@code code} cannot stand in for it.
   *
   * @param sent the parameters of the request at the redirect URI
   * @throws OidcErrorException 400 with a short reason when the response must be refused
   */
  public Map<String, String> authorizationResponse(Map<String, String> sent)
      throws OidcErrorException {
    if (jarm == null) {
      return sent;
    }
    String response = sent.get("response");
    if (response == null || response.isEmpty()) {
      events.fire(l -> l.loginFailed("The login response is not a signed JWT (JARM)"));
      throw OidcErrors.invalidRequest("The login response is not a signed JWT (JARM)");
    }
    try {
      return jarm.open(response);
    } catch (OidcErrorException e) {
      events.fire(l -> l.loginFailed(e.error().description()));
      throw e;
    }
  }

  /** The keeper of this flow's sessions. */
  public SessionKeeper sessions() {
    return sessions;
  }

  /**
   * Starts a login: remembers it in this browser and returns the authorization endpoint URL.
   *
   * @param returnUrl where to go afterwards; made same-origin here
   * @throws OidcErrorException 503 while the provider is unreachable
   */
  public URI begin(
      String returnUrl, URI redirectUri, String fallbackReturnUrl, SessionCookies cookies)
      throws OidcErrorException {
    return begin(returnUrl, redirectUri, fallbackReturnUrl, cookies, Map.of());
  }

  /**
   * Like {@link #begin(String, URI, String, SessionCookies)}, adding {@code extraParameters} to the
   * authorization request ({@code prompt}, {@code login_hint}, {@code acr_values}, ...). The
   * parameters the flow itself sets (state, nonce, PKCE, redirect URI, ...) are not among them.
   */
  public URI begin(
      String returnUrl,
      URI redirectUri,
      String fallbackReturnUrl,
      SessionCookies cookies,
      Map<String, String> extraParameters)
      throws OidcErrorException {
    return begin(returnUrl, redirectUri, fallbackReturnUrl, cookies, extraParameters, "");
  }

  /**
   * Like {@link #begin(String, URI, String, SessionCookies, Map)}, with the id of a form post kept
   * for this login ({@code preservePost}), which the finished login hands back. A login whose
   * {@code prompt} is {@code none} is silent: see {@link #declined}.
   */
  public URI begin(
      String returnUrl,
      URI redirectUri,
      String fallbackReturnUrl,
      SessionCookies cookies,
      Map<String, String> extraParameters,
      String preservedPost)
      throws OidcErrorException {
    OIDCProviderMetadata metadata = provider.current();
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    logins.begin(
        new LoginTransaction(
            state.getValue(),
            nonce.getValue(),
            verifier.getValue(),
            metadata.getIssuer().getValue(),
            redirectUri.toString(),
            ReturnUrls.sameOrigin(returnUrl, fallbackReturnUrl),
            clock.instant(),
            preservedPost,
            "none".equals(extraParameters.get("prompt"))),
        cookies);
    return requests.uri(metadata, state, nonce, verifier, redirectUri, extraParameters);
  }

  /** Whether this browser started, at this flow's issuer, the login {@code state} names. */
  public boolean holds(@Nullable String state, SessionCookies cookies) {
    return state != null && logins.holds(state, cookies);
  }

  /**
   * Finishes a login at the callback.
   *
   * @param params the authorization response's parameters (query or form)
   * @param previous the session the browser had before, ended here (a login always makes a new id)
   * @throws OidcErrorException 400 with a short reason when the response must be refused, 503 when
   *     the provider or the session store cannot be reached
   */
  public Result finish(
      Map<String, String> params, Optional<OidcSession> previous, SessionCookies cookies)
      throws OidcErrorException {
    try {
      Result result = finishLogin(params, previous, cookies);
      events.fire(l -> l.loginSucceeded(result.session().issuer(), result.session().subject()));
      return result;
    } catch (OidcErrorException e) {
      events.fire(l -> l.loginFailed(e.error().description()));
      throw e;
    }
  }

  /**
   * The silent login this authorization response declines with one of {@link #INTERACTION_ERRORS},
   * taken (once) from this browser; empty when the response carries no such error, which {@link
   * #finish} then handles.
   *
   * @throws OidcErrorException 400 as {@link #finish} would, also when the login was not silent
   */
  public Optional<Declined> declined(Map<String, String> params, SessionCookies cookies)
      throws OidcErrorException {
    String error = params.get("error");
    if (error == null || !INTERACTION_ERRORS.contains(error)) {
      return Optional.empty();
    }
    LoginTransaction login = take(params, cookies);
    if (!login.silent()) {
      throw OidcErrors.invalidRequest(
          "The identity provider did not complete the login (" + error + ")");
    }
    return Optional.of(new Declined(login.returnUrl(), error));
  }

  private Result finishLogin(
      Map<String, String> params, Optional<OidcSession> previous, SessionCookies cookies)
      throws OidcErrorException {
    LoginTransaction login = take(params, cookies);
    if (params.get("error") != null) {
      throw OidcErrors.invalidRequest(
          "The identity provider did not complete the login (" + params.get("error") + ")");
    }
    return codeExchange.exchange(login, params, previous, cookies);
  }

  /** The login this browser started with the response's {@code state}, once, from its issuer. */
  private LoginTransaction take(Map<String, String> params, SessionCookies cookies)
      throws OidcErrorException {
    String stateParam = params.get("state");
    if (stateParam == null || stateParam.isEmpty()) {
      throw OidcErrors.invalidRequest("The login response has no state");
    }
    LoginTransaction login =
        logins
            .finish(stateParam, cookies)
            .orElseThrow(
                () ->
                    OidcErrors.invalidRequest(
                        "The login is unknown, expired or already used; please start again"));
    OIDCProviderMetadata metadata = provider.current();
    String iss = params.get("iss");
    if (iss != null
        ? !iss.equals(login.issuer())
        : requireIssuer || metadata.supportsAuthorizationResponseIssuerParam()) {
      // RFC 9207 mix-up defence
      throw OidcErrors.invalidRequest("The login response comes from an unexpected issuer");
    }
    return login;
  }

  /**
   * Ends the session locally, revokes its refresh token and an opaque access token where the
   * provider supports it (RFC 7009) and {@code logoutRevoke} is on, and tells where to send the
   * browser: the provider's logout endpoint, or {@code postLogoutRedirect}.
   *
   * @throws OidcErrorException 503 when the session store cannot be reached
   */
  public URI logout(Optional<OidcSession> session, URI postLogoutRedirect, SessionCookies cookies)
      throws OidcErrorException {
    return logout.logout(session, postLogoutRedirect, cookies);
  }
}
