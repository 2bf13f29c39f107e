package dev.oidcgate.oidc.login;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.AuthorizationRequestSettings;
import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.config.LogoutSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.idp.ClientSigner;
import dev.oidcgate.oidc.idp.DpopKey;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.TokenSet;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.token.IdTokenVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization-code flow with PKCE, without servlet types: start a login, finish it at the
 * callback, end the session. It coordinates: the provider's endpoints are called by {@link
 * IdpClient}, sessions are kept by {@link SessionKeeper}. Thread-safe.
 */
public final class LoginFlow {

  private static final Logger LOG = LoggerFactory.getLogger(LoginFlow.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration REQUEST_OBJECT_LIFETIME = Duration.ofMinutes(5);
  private static final JOSEObjectType REQUEST_OBJECT_TYPE =
      new JOSEObjectType("oauth-authz-req+jwt");

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
  private final IdpClient idp;
  private final IdTokenVerifier idTokens;
  private final AccessTokenInspector accessTokens;
  private final SessionKeeper sessions;
  private final LoginTransactions logins;
  private final LoginSettings settings;
  private final LogoutSettings logoutSettings;
  private final SafeEvents events;
  private final Clock clock;
  private final boolean dpop;
  private final @Nullable JarmResponses jarm;
  private final AuthorizationRequestSettings requestSettings;
  private final Optional<ClientSigner> signer;
  // FAPI 2.0: a response without the RFC 9207 iss is refused even when the metadata is silent.
  private final boolean requireIssuer;

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
    this.idp = idp;
    this.idTokens = idTokens;
    this.accessTokens = accessTokens;
    this.sessions = sessions;
    this.logins = logins;
    this.settings = settings;
    this.logoutSettings = logoutSettings;
    this.events = events;
    this.clock = clock;
    this.dpop = dpop;
    this.jarm = jarm;
    this.requestSettings = requestSettings;
    this.signer = signer;
    this.requireIssuer = requireIssuer;
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
    AuthenticationRequest.Builder request =
        new AuthenticationRequest.Builder(
                ResponseType.CODE, Scope.parse(settings.scopes()), idp.clientId(), redirectUri)
            .endpointURI(metadata.getAuthorizationEndpointURI())
            .state(state)
            .nonce(nonce)
            .codeChallenge(verifier, CodeChallengeMethod.S256);
    if (settings.formPost() || settings.jarm()) {
      request.responseMode(settings.responseMode());
    }
    extraParameters.forEach(request::customParameter);
    AuthenticationRequest plain = request.build();
    AuthenticationRequest sent = requestSettings.signed() ? requestObject(plain, metadata) : plain;
    if (!pushed(metadata)) {
      return sent.toURI();
    }
    URI parEndpoint = metadata.getPushedAuthorizationRequestEndpointURI();
    if (parEndpoint == null) {
      throw OidcErrors.providerUnavailable(
          "The identity provider offers no pushed authorization requests", 30);
    }
    URI requestUri = idp.pushAuthorizationRequest(parEndpoint, sent);
    // RFC 9126 §4: the browser carries only client_id and request_uri.
    return new AuthenticationRequest.Builder(requestUri, idp.clientId())
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .build()
        .toURI();
  }

  /** Whether this login's request is pushed first (PAR, RFC 9126). */
  private boolean pushed(OIDCProviderMetadata metadata) {
    switch (requestSettings.pushed()) {
      case ALWAYS:
        return true;
      case NEVER:
        return false;
      default:
        return metadata.requiresPushedAuthorizationRequests();
    }
  }

  /**
   * The request as a signed request object (JAR, RFC 9101): every parameter as a claim, plus {@code
   * iss} (the client), {@code aud} (the issuer), {@code iat}, {@code nbf}, {@code exp} (5 minutes)
   * and a one-time {@code jti}; outside it only {@code client_id}.
   */
  private AuthenticationRequest requestObject(
      AuthenticationRequest plain, OIDCProviderMetadata metadata) {
    ClientSigner key =
        signer.orElseThrow(() -> new IllegalStateException("requestObject=signed needs a key"));
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(plain.toJWTClaimsSet())
            .issuer(idp.clientId().getValue())
            .audience(metadata.getIssuer().getValue())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(REQUEST_OBJECT_LIFETIME)))
            .jwtID(new JWTID().getValue())
            .build();
    return new AuthenticationRequest.Builder(key.sign(claims, REQUEST_OBJECT_TYPE), idp.clientId())
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .build();
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
    return exchangeCode(login, params, previous, cookies);
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

  private Result exchangeCode(
      LoginTransaction login,
      Map<String, String> params,
      Optional<OidcSession> previous,
      SessionCookies cookies)
      throws OidcErrorException {
    String code = params.get("code");
    // Blank as Nimbus's AuthorizationCode sees it (String.trim), which would throw instead.
    if (code == null || code.trim().isEmpty()) {
      throw OidcErrors.invalidRequest("The login response has no code");
    }
    // dpop=on: the session's own key pair, made for its first token request (RFC 9449 §5).
    DpopKey dpopKey = dpop ? DpopKey.generate() : null;
    TokenSet tokens =
        idp.requestTokens(
            new AuthorizationCodeGrant(
                new AuthorizationCode(code),
                URI.create(login.redirectUri()),
                new CodeVerifier(login.codeVerifier())),
            "code exchange",
            dpopKey);
    if (tokens.idToken() == null) {
      throw OidcErrors.invalidRequest("The identity provider sent no ID token");
    }
    Map<String, Object> idClaims;
    try {
      idClaims = idTokens.verifyAtLogin(tokens.idToken(), login.nonce(), tokens.accessToken());
    } catch (OidcErrorException e) {
      String more = RepeatedFailures.admit(LOG, "ID token refused at login", null);
      if (more != null) {
        LOG.warn("Refused an ID token at login: {}{}", e.error().description(), more);
      }
      throw OidcErrors.invalidRequest(e.error().description());
    }
    // The ID token verifier refuses a token without a subject.
    String subject = (String) Objects.requireNonNull(idClaims.get("sub"), "sub");
    Map<String, Object> userInfo =
        settings.userInfo() ? userInfo(tokens, subject, dpopKey) : Map.of();
    Instant now = clock.instant();
    OidcSession session =
        new OidcSession(
            newSessionId(),
            login.issuer(),
            subject,
            tokens.idToken(),
            tokens.accessToken().getValue(),
            tokens.refreshToken(),
            tokens.expiresAt(now),
            now,
            accessTokens.isReadable(tokens.accessToken().getValue()),
            userInfo,
            now,
            now);
    if (dpopKey != null) {
      session = session.withDpop(dpopKey.toJson(), tokens.dpopBound());
    }
    sessions.replace(previous, session, cookies);
    return new Result(session, login.returnUrl(), login.preservedPost());
  }

  private Map<String, Object> userInfo(TokenSet tokens, String subject, @Nullable DpopKey dpopKey)
      throws OidcErrorException {
    Map<String, Object> info = idp.userInfo(tokens.accessToken(), dpopKey);
    // OIDC Core §5.3.2: otherwise the response may belong to someone else.
    if (!info.isEmpty() && !subject.equals(info.get("sub"))) {
      throw OidcErrors.invalidRequest("The UserInfo response is for another subject");
    }
    return info;
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
    if (session.isPresent()) {
      events.fire(l -> l.loggedOut(session.get().subject()));
      sessions.end(session.get(), cookies);
      if (logoutSettings.revoke()) {
        // The refresh token ends the grant. A JWT access token is left to expire: Auth0 and
        // Cognito refuse to revoke one (400 unsupported_token_type), and where an IdP accepts it,
        // only its introspection and UserInfo learn, not a server that checks the JWT itself.
        DpopKey dpopKey = DpopKey.ofSession(session.get().dpopKey());
        session
            .get()
            .refreshTokenValue()
            .ifPresent(rt -> idp.revoke(new RefreshToken(rt), dpopKey));
        String accessToken = session.get().accessToken();
        if (!AccessTokenInspector.isJwt(accessToken)) {
          idp.revoke(
              session.get().dpopBound()
                  ? new DPoPAccessToken(accessToken)
                  : new BearerAccessToken(accessToken),
              dpopKey);
        }
      }
    }
    String parameter = logoutSettings.redirectParameter();
    Optional<URI> endpoint =
        logoutSettings.endpoint().or(() -> Optional.ofNullable(endSessionEndpoint()));
    if (endpoint.isEmpty()) {
      Optional<Map.Entry<URI, String>> fallback = providerLogout();
      if (fallback.isEmpty()) {
        return postLogoutRedirect;
      }
      endpoint = Optional.of(fallback.get().getKey());
      parameter = fallback.get().getValue();
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    session.ifPresent(s -> query.put("id_token_hint", List.of(s.idToken())));
    query.put("client_id", List.of(idp.clientId().getValue()));
    query.put(parameter, List.of(postLogoutRedirect.toString()));
    String separator = endpoint.get().getRawQuery() == null ? "?" : "&";
    return URI.create(endpoint.get() + separator + URLUtils.serializeParameters(query));
  }

  /** The provider's own logout URL (Cognito's, Auth0's), where discovery names none. */
  private Optional<Map.Entry<URI, String>> providerLogout() {
    if (!provider.isReady()) {
      return Optional.empty();
    }
    try {
      OIDCProviderMetadata metadata = provider.current();
      return logoutSettings
          .provider()
          .logoutFallback(metadata.getAuthorizationEndpointURI(), metadata.getIssuer().getValue());
    } catch (OidcErrorException e) {
      return Optional.empty();
    }
  }

  private @Nullable URI endSessionEndpoint() {
    if (!provider.isReady()) {
      return null;
    }
    try {
      return provider.current().getEndSessionEndpointURI();
    } catch (OidcErrorException e) {
      return null;
    }
  }

  private static String newSessionId() {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }
}
