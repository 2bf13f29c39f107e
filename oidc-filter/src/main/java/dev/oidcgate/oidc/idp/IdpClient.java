package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client of the provider's endpoints that take client authentication or a token: token (RFC
 * 6749 §4.1.3, §6), UserInfo (OIDC Core §5.3), revocation (RFC 7009) and introspection (RFC 7662).
 * It only talks: what the answers mean is decided by its callers. Endpoints come from the current
 * provider metadata unless configured. Requests are built by {@link TokenEndpointRequests}, sent
 * with DPoP proofs by {@link DpopSender}; PAR and introspection have classes of their own.
 * Thread-safe.
 */
public final class IdpClient {

  private static final Logger LOG = LoggerFactory.getLogger(IdpClient.class);

  /** How this client authenticates at the token/revocation and the introspection endpoints. */
  public record AuthMethods(
      ClientAuthenticationMethod tokenEndpoint, ClientAuthenticationMethod introspection) {}

  private final ProviderMetadataSource provider;
  private final IdpTransport transport;
  private final TokenEndpointRequests requests;
  private final DpopSender sender;
  private final PushedRequests pushed;
  private final Introspection introspection;

  public IdpClient(
      ProviderMetadataSource provider,
      IdpTransport transport,
      Optional<ClientID> clientId,
      ClientAuthenticator authenticator,
      AuthMethods methods) {
    this.provider = provider;
    this.transport = transport;
    this.requests = new TokenEndpointRequests(clientId, authenticator, methods);
    this.sender = new DpopSender(transport);
    this.pushed = new PushedRequests(transport, requests);
    this.introspection = new Introspection(transport, requests);
  }

  /**
   * @throws IllegalStateException when no {@code clientId} is configured: the configuration turns
   *     off everything that needs one (login, introspection, overage), so this is a bug
   */
  public ClientID clientId() {
    return requests.clientId();
  }

  /**
   * Sends a grant (authorization code, refresh token) to the token endpoint.
   *
   * @param what the grant in words, for log lines ("code exchange", "refresh")
   * @throws OidcErrorException 503 when the provider cannot be reached, fails (5xx) or answers
   *     something unreadable (the grant may be good; a later try may succeed); 400 when it refuses
   *     the grant
   */
  public TokenSet requestTokens(AuthorizationGrant grant, String what) throws OidcErrorException {
    return requestTokens(grant, null, provider.current().getTokenEndpointURI(), what, null);
  }

  /**
   * Like {@link #requestTokens(AuthorizationGrant, String)}, with a DPoP proof (RFC 9449 §5) made
   * with {@code dpop} when it is not null; a {@code use_dpop_nonce} answer is retried once with the
   * provider's nonce.
   */
  public TokenSet requestTokens(AuthorizationGrant grant, String what, @Nullable DpopKey dpop)
      throws OidcErrorException {
    return requestTokens(grant, null, provider.current().getTokenEndpointURI(), what, dpop);
  }

  /**
   * The app's own access token for {@code scope} (client credentials, RFC 6749 §4.4), from {@code
   * endpoint}: the token endpoint, or for Entra's multi-tenant issuer one tenant's.
   *
   * @throws OidcErrorException as {@link #requestTokens(AuthorizationGrant, String)}
   */
  public TokenSet clientCredentials(Scope scope, URI endpoint) throws OidcErrorException {
    return requestTokens(
        new ClientCredentialsGrant(), scope, endpoint, "client credentials grant", null);
  }

  /** The token endpoint of the current provider metadata. */
  public URI tokenEndpoint() throws OidcErrorException {
    return provider.current().getTokenEndpointURI();
  }

  /**
   * The token endpoint's answer to a client credentials grant, as it came: a token, or the
   * provider's error (RFC 6749 §5.2) with its code and description. For oidc-gate-doctor, which
   * explains a refusal; sent with the same client authentication as every other grant.
   *
   * @throws OidcErrorException 503 while the provider metadata is unknown
   * @throws IOException when the token endpoint cannot be reached
   * @throws ParseException when the answer is no token response
   */
  public TokenResponse probeClientCredentials()
      throws OidcErrorException, IOException, ParseException {
    URI endpoint = tokenEndpoint();
    return OIDCTokenResponseParser.parse(
        transport.send(
            requests.token(new ClientCredentialsGrant(), null, endpoint).toHTTPRequest()));
  }

  /**
   * Introspects a token that does not exist, with this client's authentication (RFC 7662 §2.1): the
   * provider answers {@code active: false} to a client it authenticated, and an error to one it did
   * not. For oidc-gate-doctor, where the token endpoint's refusal of a grant leaves that open
   * (Keycloak names a wrong secret and a grant not allowed with one error code).
   *
   * @throws IOException when the endpoint cannot be reached
   * @throws ParseException when the answer is no introspection response
   */
  public TokenIntrospectionResponse probeIntrospection(URI endpoint)
      throws IOException, ParseException {
    return introspection.probe(endpoint);
  }

  /**
   * A token for an upstream from the token endpoint: a token exchange (RFC 8693) or client
   * credentials grant, with RFC 8707 {@code resource}s and extra parameters (Auth0's {@code
   * audience} for client credentials). The client authenticates as for every token request.
   *
   * @throws OidcErrorException as {@link #requestTokens(AuthorizationGrant, String)}
   */
  public TokenSet upstreamToken(
      AuthorizationGrant grant,
      @Nullable Scope scope,
      List<URI> resources,
      Map<String, List<String>> extra,
      String what)
      throws OidcErrorException {
    return requestTokens(
        grant, scope, resources, extra, provider.current().getTokenEndpointURI(), what, null);
  }

  private TokenSet requestTokens(
      AuthorizationGrant grant,
      @Nullable Scope scope,
      URI endpoint,
      String what,
      @Nullable DpopKey dpop)
      throws OidcErrorException {
    return requestTokens(grant, scope, List.of(), Map.of(), endpoint, what, dpop);
  }

  private TokenSet requestTokens(
      AuthorizationGrant grant,
      @Nullable Scope scope,
      List<URI> resources,
      Map<String, List<String>> extra,
      URI endpoint,
      String what,
      @Nullable DpopKey dpop)
      throws OidcErrorException {
    TokenResponse response;
    try {
      HTTPResponse http =
          sender.send(() -> requests.token(grant, scope, resources, extra, endpoint), dpop, null);
      if (http.getStatusCode() >= 500) {
        throw new IOException("it answered HTTP " + http.getStatusCode());
      }
      response = OIDCTokenResponseParser.parse(http);
    } catch (IOException e) {
      String more = RepeatedFailures.admit(LOG, "token endpoint unreachable", endpoint);
      if (more != null) {
        LOG.warn(
            "The token endpoint could not be reached for a {}: {}{}", what, e.getMessage(), more);
      }
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", 5);
    } catch (ParseException e) {
      String more = RepeatedFailures.admit(LOG, "token endpoint answer unreadable", endpoint);
      if (more != null) {
        LOG.warn(
            "The token endpoint's answer to a {} does not parse: {}{}", what, e.getMessage(), more);
      }
      throw OidcErrors.providerUnavailable(
          "The identity provider's token response is malformed", 5);
    }
    if (!response.indicatesSuccess()) {
      String more = RepeatedFailures.admit(LOG, "token endpoint refused a grant", endpoint);
      if (more != null) {
        LOG.warn(
            "The token endpoint refused a {}: {}{}",
            what,
            response.toErrorResponse().getErrorObject().getCode(),
            more);
      }
      throw OidcErrors.invalidRequest("The identity provider refused the " + what);
    }
    return TokenSets.of(response.toSuccessResponse());
  }

  /**
   * Pushes an authorization request to the provider's PAR endpoint (RFC 9126), authenticated as at
   * the token endpoint.
   *
   * @return the {@code request_uri} the browser is sent with
   * @throws OidcErrorException 503 when the provider cannot be reached or answers unreadably; 400
   *     when it refuses the request
   */
  public URI pushAuthorizationRequest(URI endpoint, AuthorizationRequest authorization)
      throws OidcErrorException {
    return pushed.push(endpoint, authorization);
  }

  /**
   * The UserInfo claims for an access token, or empty claims when the provider has no UserInfo
   * endpoint.
   *
   * @throws OidcErrorException 503 when unreachable; 400 when refused or not plain JSON
   */
  public Map<String, Object> userInfo(AccessToken accessToken) throws OidcErrorException {
    return userInfo(accessToken, null);
  }

  /**
   * Like {@link #userInfo(AccessToken)}; a DPoP-bound access token (token type {@code DPoP}) is
   * sent as {@code Authorization: DPoP} with a proof made with {@code dpop} (RFC 9449 §7).
   */
  public Map<String, Object> userInfo(AccessToken accessToken, @Nullable DpopKey dpop)
      throws OidcErrorException {
    URI endpoint = provider.current().getUserInfoEndpointURI();
    if (endpoint == null) {
      return Map.of();
    }
    boolean bound = dpop != null && AccessTokenType.DPOP.equals(accessToken.getType());
    AccessToken sent =
        bound
            ? new DPoPAccessToken(accessToken.getValue())
            : new BearerAccessToken(accessToken.getValue());
    UserInfoResponse response;
    try {
      response =
          UserInfoResponse.parse(
              sender.send(
                  () -> new UserInfoRequest(endpoint, sent).toHTTPRequest(),
                  bound ? dpop : null,
                  sent));
    } catch (IOException e) {
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", 5);
    } catch (ParseException e) {
      throw OidcErrors.invalidRequest("The identity provider's UserInfo response is malformed");
    }
    if (!response.indicatesSuccess()) {
      throw OidcErrors.invalidRequest("The identity provider refused the UserInfo request");
    }
    var info = response.toSuccessResponse().getUserInfo();
    if (info == null) {
      throw OidcErrors.invalidRequest("The UserInfo response is not plain JSON");
    }
    return info.toJSONObject();
  }

  /**
   * Asks the provider to revoke a token (RFC 7009), where it has a revocation endpoint. Best
   * effort: a failure is logged, never thrown, since the local session ends either way.
   */
  public void revoke(Token token) {
    revoke(token, null);
  }

  /**
   * Like {@link #revoke(Token)}, with a DPoP proof made with {@code dpop} when it is not null (the
   * key the token is bound to).
   */
  public void revoke(Token token, @Nullable DpopKey dpop) {
    OIDCProviderMetadata metadata = provider.isReady() ? readyMetadata() : null;
    if (metadata == null || metadata.getRevocationEndpointURI() == null) {
      return;
    }
    URI endpoint = metadata.getRevocationEndpointURI();
    try {
      HTTPResponse response = sender.send(() -> requests.revocation(endpoint, token), dpop, null);
      if (response.getStatusCode() != 200) {
        LOG.info("Token revocation answered HTTP {}", response.getStatusCode());
      }
    } catch (IOException | RuntimeException e) {
      LOG.info("Token revocation failed: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * Asks the provider about an opaque token (RFC 7662).
   *
   * @param endpoint the introspection endpoint
   * @return the parsed answer, success or error
   * @throws OidcErrorException 503 when the provider cannot be reached or answers unreadably, or
   *     when this client has no credentials to introspect with
   */
  public TokenIntrospectionResponse introspect(URI endpoint, String token)
      throws OidcErrorException {
    return introspection.introspect(endpoint, token);
  }

  private @Nullable OIDCProviderMetadata readyMetadata() {
    try {
      return provider.current();
    } catch (OidcErrorException e) {
      return null;
    }
  }
}
