package dev.oidcgate.oidc.login;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.OidcConfig;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionStore;
import dev.oidcgate.oidc.session.SessionStoreException;
import dev.oidcgate.oidc.token.IdTokenVerifier;
import dev.oidcgate.oidc.token.SignatureCheck;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization-code flow with PKCE, without servlet types: start a login, finish it at the
 * callback, keep the session's tokens fresh, end the session. Thread-safe.
 */
public final class LoginFlow {

  private static final Logger LOG = LoggerFactory.getLogger(LoginFlow.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A session's last-seen time is written back at most this often (each write is a cookie). */
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

  /** A finished login: the new session and where to send the browser. */
  public record Result(OidcSession session, String returnUrl) {}

  private final OidcConfig config;
  private final ProviderMetadataSource provider;
  private final IdpTransport transport;
  private final IdTokenVerifier idTokens;
  private final SignatureCheck signatures;
  private final SessionStore store;
  private final LoginTransactions logins;
  private final Clock clock;
  private final ClientID clientId;
  private final ClientAuthentication clientAuth;
  private final SafeEvents events;
  private final Map<String, CompletableFuture<OidcSession>> refreshing = new ConcurrentHashMap<>();

  /**
   * Recent refresh results by old access token hash, so requests that still carry the old cookie
   * reuse them.
   */
  private final Cache<String, OidcSession> recentRefreshes;

  public LoginFlow(
      OidcConfig config,
      ProviderMetadataSource provider,
      IdpTransport transport,
      IdTokenVerifier idTokens,
      SignatureCheck signatures,
      SessionStore store,
      LoginTransactions logins,
      SafeEvents events) {
    this.events = events;
    this.config = config;
    this.provider = provider;
    this.transport = transport;
    this.idTokens = idTokens;
    this.signatures = signatures;
    this.store = store;
    this.logins = logins;
    this.clock = config.clock();
    this.clientId = new ClientID(config.clientId().orElse(""));
    this.clientAuth = clientAuthentication(config, clientId);
    this.recentRefreshes =
        Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(30)).maximumSize(100_000).build();
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
            clock.instant()),
        cookies);
    AuthenticationRequest.Builder request =
        new AuthenticationRequest.Builder(
                ResponseType.CODE, Scope.parse(config.scopes()), clientId, redirectUri)
            .endpointURI(metadata.getAuthorizationEndpointURI())
            .state(state)
            .nonce(nonce)
            .codeChallenge(verifier, CodeChallengeMethod.S256);
    if (config.responseMode().equals("form_post")) {
      request.responseMode(ResponseMode.FORM_POST);
    }
    return request.build().toURI();
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

  private Result finishLogin(
      Map<String, String> params, Optional<OidcSession> previous, SessionCookies cookies)
      throws OidcErrorException {
    String stateParam = params.get("state");
    if (stateParam == null || stateParam.isEmpty()) {
      throw refused("The login response has no state");
    }
    LoginTransaction login =
        logins
            .finish(stateParam, cookies)
            .orElseThrow(
                () -> refused("The login is unknown, expired or already used; please start again"));
    OIDCProviderMetadata metadata = provider.current();
    String iss = params.get("iss");
    if (iss != null
        ? !iss.equals(login.issuer())
        : metadata.supportsAuthorizationResponseIssuerParam()) {
      throw refused(
          "The login response comes from an unexpected issuer"); // RFC 9207 mix-up defence
    }
    if (params.get("error") != null) {
      throw refused(
          "The identity provider did not complete the login (" + params.get("error") + ")");
    }
    String code = params.get("code");
    if (code == null || code.isEmpty()) {
      throw refused("The login response has no code");
    }
    AuthorizationGrant grant =
        new AuthorizationCodeGrant(
            new AuthorizationCode(code),
            URI.create(login.redirectUri()),
            new CodeVerifier(login.codeVerifier()));
    TokenSet tokens = requestTokens(metadata, grant, "code exchange");
    if (tokens.idToken() == null) {
      throw refused("The identity provider sent no ID token");
    }
    Map<String, Object> idClaims;
    try {
      idClaims = idTokens.verifyAtLogin(tokens.idToken(), login.nonce(), tokens.accessToken());
    } catch (OidcErrorException e) {
      LOG.warn("Refused an ID token at login: {}", e.error().description());
      throw refused(e.error().description());
    }
    String subject = (String) idClaims.get("sub");
    Map<String, Object> userInfo =
        config.userInfo() ? userInfo(metadata, tokens.accessToken(), subject) : Map.of();
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
            accessTokenVerified(tokens.accessToken().getValue()),
            userInfo,
            now,
            now);
    try {
      if (previous.isPresent()) {
        store.delete(previous.get(), cookies);
      }
      store.save(session, cookies);
    } catch (SessionStoreException e) {
      throw storeDown(e);
    }
    return new Result(session, login.returnUrl());
  }

  /**
   * The browser's session, enforcing the idle and absolute timeouts and refreshing the access token
   * shortly before it expires (one refresh per session at a time, shared by concurrent requests).
   *
   * @return the usable session, or empty when there is none (any more)
   * @throws OidcErrorException 503 when the session store cannot be reached
   */
  public Optional<OidcSession> current(SessionCookies cookies) throws OidcErrorException {
    try {
      Optional<OidcSession> loaded = store.load(cookies);
      if (loaded.isEmpty()) {
        return loaded;
      }
      OidcSession session = loaded.get();
      Instant now = clock.instant();
      if (now.isAfter(session.lastSeenAt().plus(config.sessionIdleTimeout()))
          || now.isAfter(session.createdAt().plus(config.sessionMaxLifetime()))) {
        store.delete(session, cookies);
        return Optional.empty();
      }
      Instant expiry = session.accessTokenExpiresAt();
      Instant refreshAt = session.refreshDueAt(config.refreshLeeway());
      boolean dueForRefresh = refreshAt != null && !now.isBefore(refreshAt);
      if (dueForRefresh) {
        Optional<OidcSession> fresh = refreshShared(session);
        if (fresh.isPresent()) {
          store.save(fresh.get(), cookies);
          return fresh;
        }
        if (!now.isBefore(expiry)) {
          store.delete(session, cookies); // expired and not refreshable: log in again
          return Optional.empty();
        }
        return Optional.of(session); // refresh failed but the token is still good: carry on
      }
      if (now.isAfter(session.lastSeenAt().plus(TOUCH_INTERVAL))) {
        session = session.seenAt(now);
        store.save(session, cookies);
      }
      return Optional.of(session);
    } catch (SessionStoreException e) {
      throw storeDown(e);
    }
  }

  /**
   * The session the browser presents, as stored: no timeout check, no refresh, no write. For logout
   * and for the session a new login replaces, where refreshing tokens about to be discarded is
   * wasted work.
   *
   * @throws OidcErrorException 503 when the session store cannot be reached
   */
  public Optional<OidcSession> stored(SessionCookies cookies) throws OidcErrorException {
    try {
      return store.load(cookies);
    } catch (SessionStoreException e) {
      throw storeDown(e);
    }
  }

  /**
   * Ends the session locally, revokes its tokens where the provider supports it (RFC 7009) and
   * tells where to send the browser: the provider's logout endpoint, or {@code postLogoutRedirect}.
   */
  public URI logout(Optional<OidcSession> session, URI postLogoutRedirect, SessionCookies cookies)
      throws OidcErrorException {
    OIDCProviderMetadata metadata = provider.isReady() ? provider.current() : null;
    if (session.isPresent()) {
      events.fire(l -> l.loggedOut(session.get().subject()));
      try {
        store.delete(session.get(), cookies);
      } catch (SessionStoreException e) {
        throw storeDown(e);
      }
      if (metadata != null && metadata.getRevocationEndpointURI() != null) {
        session.get().refreshTokenValue().ifPresent(rt -> revoke(metadata, new RefreshToken(rt)));
        revoke(metadata, new BearerAccessToken(session.get().accessToken()));
      }
    }
    URI endpoint =
        config
            .logoutEndpoint()
            .orElse(metadata == null ? null : metadata.getEndSessionEndpointURI());
    if (endpoint == null) {
      return postLogoutRedirect;
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    session.ifPresent(s -> query.put("id_token_hint", List.of(s.idToken())));
    query.put("client_id", List.of(clientId.getValue()));
    query.put(config.logoutRedirectParameter(), List.of(postLogoutRedirect.toString()));
    String separator = endpoint.getRawQuery() == null ? "?" : "&";
    return URI.create(endpoint + separator + URLUtils.serializeParameters(query));
  }

  /**
   * The claims the app sees for a session: the access token's (when verified), UserInfo's, then the
   * ID token's.
   */
  public static Map<String, Object> claims(OidcSession session) {
    Map<String, Object> claims = new LinkedHashMap<>();
    try {
      if (session.accessTokenVerified()) {
        claims.putAll(JWTParser.parse(session.accessToken()).getJWTClaimsSet().toJSONObject());
      }
      claims.putAll(session.userInfo());
      claims.putAll(JWTParser.parse(session.idToken()).getJWTClaimsSet().toJSONObject());
    } catch (java.text.ParseException e) {
      // Sealed by us at login; cannot happen unless the key was shared with someone careless.
      LOG.warn("A session's tokens do not parse");
    }
    return claims;
  }

  private Optional<OidcSession> refreshShared(OidcSession session) {
    if (session.refreshTokenValue().isEmpty()) {
      return Optional.empty();
    }
    String key = session.id() + ":" + session.accessToken().hashCode();
    OidcSession recent = recentRefreshes.getIfPresent(key);
    if (recent != null) {
      return Optional.of(recent);
    }
    CompletableFuture<OidcSession> mine = new CompletableFuture<>();
    CompletableFuture<OidcSession> running = refreshing.putIfAbsent(key, mine);
    if (running == null) {
      try {
        // Checked again now that this request owns the refresh: one that just finished has put its
        // result here before letting go, and a rotated refresh token must not be spent twice.
        OidcSession fresh = recentRefreshes.getIfPresent(key);
        if (fresh == null) {
          fresh = refresh(session);
          events.fire(l -> l.tokenRefreshed(session.subject()));
        }
        recentRefreshes.put(key, fresh);
        mine.complete(fresh);
      } catch (OidcErrorException e) {
        events.fire(l -> l.refreshFailed(session.subject(), e.error().description()));
        mine.complete(null);
      } catch (RuntimeException e) {
        events.fire(
            l -> l.refreshFailed(session.subject(), "unexpected " + e.getClass().getSimpleName()));
        mine.complete(null);
      } finally {
        refreshing.remove(key, mine);
      }
      running = mine;
    }
    try {
      long wait = config.httpConnectTimeout().plus(config.httpReadTimeout()).toMillis() + 1000;
      return Optional.ofNullable(running.get(wait, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  private OidcSession refresh(OidcSession session) throws OidcErrorException {
    OIDCProviderMetadata metadata = provider.current();
    TokenSet tokens;
    try {
      tokens =
          requestTokens(
              metadata, new RefreshTokenGrant(new RefreshToken(session.refreshToken())), "refresh");
    } catch (OidcErrorException e) {
      LOG.info("Token refresh failed: {}", e.error().description());
      throw e;
    }
    if (tokens.idToken() != null) {
      Map<String, Object> previous;
      try {
        previous = SignedJWT.parse(session.idToken()).getJWTClaimsSet().toJSONObject();
      } catch (java.text.ParseException e) {
        throw OidcErrors.invalidToken("The session's ID token does not parse");
      }
      idTokens.verifyRefreshed(tokens.idToken(), previous, tokens.accessToken());
    }
    Instant now = clock.instant();
    return session.refreshed(
        tokens.idToken(),
        tokens.accessToken().getValue(),
        tokens.refreshToken(),
        tokens.expiresAt(now),
        accessTokenVerified(tokens.accessToken().getValue()),
        now);
  }

  /** What a token response carried. */
  private record TokenSet(
      AccessToken accessToken,
      String refreshToken,
      String idToken,
      long lifetime,
      Instant jwtExpiry) {
    Instant expiresAt(Instant now) {
      if (lifetime > 0) {
        return now.plusSeconds(lifetime);
      }
      return jwtExpiry;
    }
  }

  private TokenSet requestTokens(
      OIDCProviderMetadata metadata, AuthorizationGrant grant, String what)
      throws OidcErrorException {
    URI endpoint = metadata.getTokenEndpointURI();
    TokenRequest request =
        clientAuth != null
            ? new TokenRequest.Builder(endpoint, clientAuth, grant).build()
            : new TokenRequest.Builder(endpoint, clientId, grant).build();
    TokenResponse response;
    try {
      HTTPResponse http = transport.send(request.toHTTPRequest());
      response = OIDCTokenResponseParser.parse(http);
    } catch (IOException e) {
      LOG.warn("The token endpoint could not be reached for a {}: {}", what, e.getMessage());
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", 5);
    } catch (ParseException e) {
      LOG.warn("The token endpoint's answer to a {} does not parse: {}", what, e.getMessage());
      throw refused("The identity provider's token response is malformed");
    }
    if (!response.indicatesSuccess()) {
      LOG.warn(
          "The token endpoint refused a {}: {}",
          what,
          response.toErrorResponse().getErrorObject().getCode());
      throw refused("The identity provider refused the " + what);
    }
    AccessTokenResponse success = response.toSuccessResponse();
    Tokens tokens = success.getTokens();
    String idToken = null;
    if (success instanceof OIDCTokenResponse) {
      idToken = ((OIDCTokenResponse) success).getOIDCTokens().getIDTokenString();
    }
    AccessToken at = tokens.getAccessToken();
    Instant jwtExpiry = null;
    try {
      Object exp = JWTParser.parse(at.getValue()).getJWTClaimsSet().getExpirationTime();
      jwtExpiry = exp == null ? null : ((java.util.Date) exp).toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      // an opaque access token: its lifetime is what expires_in says
    }
    Token rt = tokens.getRefreshToken();
    return new TokenSet(
        at, rt == null ? null : rt.getValue(), idToken, at.getLifetime(), jwtExpiry);
  }

  private Map<String, Object> userInfo(
      OIDCProviderMetadata metadata, AccessToken accessToken, String subject)
      throws OidcErrorException {
    URI endpoint = metadata.getUserInfoEndpointURI();
    if (endpoint == null) {
      return Map.of();
    }
    UserInfoResponse response;
    try {
      HTTPRequest request =
          new UserInfoRequest(endpoint, new BearerAccessToken(accessToken.getValue()))
              .toHTTPRequest();
      response = UserInfoResponse.parse(transport.send(request));
    } catch (IOException e) {
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", 5);
    } catch (ParseException e) {
      throw refused("The identity provider's UserInfo response is malformed");
    }
    if (!response.indicatesSuccess()) {
      throw refused("The identity provider refused the UserInfo request");
    }
    var info = response.toSuccessResponse().getUserInfo();
    if (info == null) {
      throw refused("The UserInfo response is not plain JSON");
    }
    // OIDC Core §5.3.2: otherwise the response may belong to someone else.
    if (!subject.equals(info.getSubject().getValue())) {
      throw refused("The UserInfo response is for another subject");
    }
    return info.toJSONObject();
  }

  private boolean accessTokenVerified(String accessToken) {
    try {
      SignedJWT jwt = SignedJWT.parse(accessToken);
      signatures.verify(jwt, "access token");
      return provider.current().getIssuer().getValue().equals(jwt.getJWTClaimsSet().getIssuer());
    } catch (java.text.ParseException | OidcErrorException | RuntimeException e) {
      return false; // opaque, or not ours to read: its claims are not used
    }
  }

  private void revoke(OIDCProviderMetadata metadata, Token token) {
    try {
      TokenRevocationRequest request =
          clientAuth != null
              ? new TokenRevocationRequest(metadata.getRevocationEndpointURI(), clientAuth, token)
              : new TokenRevocationRequest(metadata.getRevocationEndpointURI(), clientId, token);
      HTTPResponse response = transport.send(request.toHTTPRequest());
      if (response.getStatusCode() != 200) {
        LOG.info("Token revocation answered HTTP {}", response.getStatusCode());
      }
    } catch (IOException | RuntimeException e) {
      LOG.info("Token revocation failed: {}", e.getMessage());
    }
  }

  private static String newSessionId() {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  private static OidcErrorException refused(String description) {
    return new OidcErrorException(new OidcError(400, "invalid_request", description));
  }

  private static OidcErrorException storeDown(SessionStoreException e) {
    LOG.error("The session store cannot be reached: {}", e.getMessage());
    return OidcErrors.providerUnavailable("Sessions are unavailable", 5);
  }

  private static ClientAuthentication clientAuthentication(OidcConfig config, ClientID id) {
    if (config.tokenEndpointAuthMethod().equals("none") || config.clientSecret().isEmpty()) {
      return null;
    }
    return config.tokenEndpointAuthMethod().equals("client_secret_post")
        ? new ClientSecretPost(id, config.clientSecret().get())
        : new ClientSecretBasic(id, config.clientSecret().get());
  }
}
