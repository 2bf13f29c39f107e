package dev.oidcgate.oidc.idp;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's groups from Microsoft Graph: {@code POST /users/{oid}/getMemberGroups} with {@code
 * securityEnabledOnly: false} (every group, transitively; up to 11,000 ids in one answer), called
 * with the app's own token from the client-credentials grant (scope {@code <graph>/.default}),
 * which is reused per tenant until shortly before it expires. For Entra's multi-tenant issuer the
 * token comes from the user's tenant's token endpoint. Thread-safe.
 */
public final class MicrosoftGraphClient implements GroupDirectory {

  private final ReentrantLock tokenLock = new ReentrantLock();

  private static final Logger LOG = LoggerFactory.getLogger(MicrosoftGraphClient.class);
  private static final Duration EARLY = Duration.ofMinutes(1);
  private static final String TENANT_ID = "[0-9a-fA-F-]{36}";

  private record AppToken(AccessToken token, Instant renewAt) {}

  private final URI graph;
  private final Scope scope;
  private final IdpClient idp;
  private final IdpTransport transport;
  private final boolean multiTenant;
  private final Clock clock;
  private final Map<String, AppToken> appTokens = new ConcurrentHashMap<>();

  /**
   * @param graph Graph's base URL, e.g. {@code https://graph.microsoft.com/v1.0}
   * @param scope the app token's scope, {@code https://graph.microsoft.com/.default}
   * @param multiTenant whether the issuer is Entra's {@code organizations}/{@code common} endpoint
   */
  public MicrosoftGraphClient(
      URI graph,
      String scope,
      IdpClient idp,
      IdpTransport transport,
      boolean multiTenant,
      Clock clock) {
    this.graph = graph;
    this.scope = new Scope(scope);
    this.idp = idp;
    this.transport = transport;
    this.multiTenant = multiTenant;
    this.clock = clock;
  }

  @Override
  public List<String> memberGroups(String tenant, String userId) throws OidcErrorException {
    AccessToken token = appToken(tenant);
    HTTPRequest request =
        new HTTPRequest(
            HTTPRequest.Method.POST,
            URI.create(
                graph
                    + "/users/"
                    + URLEncoder.encode(userId, StandardCharsets.UTF_8)
                    + "/getMemberGroups"));
    request.setAuthorization(token.toAuthorizationHeader());
    request.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_JSON);
    request.setBody("{\"securityEnabledOnly\":false}");
    HTTPResponse response;
    try {
      response = transport.send(request);
    } catch (IOException e) {
      String more = RepeatedFailures.admit(LOG, "Microsoft Graph unreachable", null);
      if (more != null) {
        LOG.warn("Microsoft Graph could not be reached: {}{}", e.getMessage(), more);
      }
      throw unavailable(5);
    }
    if (response.getStatusCode() == 401) {
      appTokens.remove(tenant); // perhaps revoked: the next call gets a new one
    }
    if (response.getStatusCode() != 200) {
      String more =
          RepeatedFailures.admit(LOG, "Microsoft Graph refused", response.getStatusCode());
      if (more != null) {
        LOG.warn(
            "Microsoft Graph answered getMemberGroups with HTTP {}{}",
            response.getStatusCode(),
            more);
      }
      throw unavailable(response.getStatusCode() == 429 ? 10 : 30);
    }
    return groupIds(response.getBody());
  }

  private AccessToken appToken(String tenant) throws OidcErrorException {
    AppToken current = appTokens.get(tenant);
    if (current != null && clock.instant().isBefore(current.renewAt())) {
      return current.token();
    }
    // A lock, not synchronized: the token request is HTTP I/O, during which a synchronized block
    // would pin a virtual thread to its carrier on Java 21 to 23.
    tokenLock.lock();
    try {
      current = appTokens.get(tenant);
      if (current != null && clock.instant().isBefore(current.renewAt())) {
        return current.token();
      }
      TokenSet tokens;
      try {
        tokens = idp.clientCredentials(scope, tokenEndpoint(tenant));
      } catch (OidcErrorException e) {
        // The caller's credential is fine: the app's own token was refused (IdpClient logged why).
        throw e.error().status() == 503 ? e : unavailable(30);
      }
      Instant now = clock.instant();
      Instant expires = tokens.expiresAt(now);
      Instant renewAt = expires == null ? now.plus(EARLY) : expires.minus(EARLY);
      appTokens.put(tenant, new AppToken(tokens.accessToken(), renewAt));
      return tokens.accessToken();
    } finally {
      tokenLock.unlock();
    }
  }

  /** The issuer's token endpoint; at the multi-tenant issuer, the user's tenant's. */
  private URI tokenEndpoint(String tenant) throws OidcErrorException {
    URI endpoint = idp.tokenEndpoint();
    if (!multiTenant) {
      return endpoint;
    }
    if (!tenant.matches(TENANT_ID)) {
      throw OidcErrors.invalidToken("The token names no tenant");
    }
    // Client credentials need a tenant: .../organizations/oauth2/... names none.
    return URI.create(
        endpoint.toString().replaceFirst("/(organizations|common)/", "/" + tenant + "/"));
  }

  private static List<String> groupIds(@Nullable String body) throws OidcErrorException {
    try {
      Object value = JSONObjectUtils.parse(body == null ? "" : body).get("value");
      if (value instanceof List<?> list) {
        List<String> out = new ArrayList<>(list.size());
        for (Object id : list) {
          if (!(id instanceof String)) {
            throw new ParseException("a group id is not a string", 0);
          }
          out.add((String) id);
        }
        return List.copyOf(out);
      }
    } catch (ParseException e) {
      // answered below
    }
    String more = RepeatedFailures.admit(LOG, "Microsoft Graph answer unreadable", null);
    if (more != null) {
      LOG.warn("Microsoft Graph's getMemberGroups answer has no list of group ids{}", more);
    }
    throw unavailable(30);
  }

  private static OidcErrorException unavailable(long retryAfterSeconds) {
    return OidcErrors.providerUnavailable(
        "Group memberships cannot be read now", retryAfterSeconds);
  }
}
