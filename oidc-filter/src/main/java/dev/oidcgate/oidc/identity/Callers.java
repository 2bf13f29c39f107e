package dev.oidcgate.oidc.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import dev.oidcgate.oidc.authz.ClaimValues;
import dev.oidcgate.oidc.config.AccessSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.idp.DpopKey;
import dev.oidcgate.oidc.session.OidcSession;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Turns verified claims into the caller the app sees: the principal named by {@code
 * principalClaim}, the roles and groups, and the identity headers. Thread-safe.
 *
 * <p>For a bearer token, all but the token's own header is a function of its verified claims, and a
 * token seen before comes back from the verdict cache with the same claims object: so the principal
 * and the claim headers are made once per verified token and kept with it (weakly, by the claims
 * object's identity, as many as the verdict cache holds). The token is not kept.
 */
public final class Callers {

  /** The claims that name a client acting for itself, in order: RFC 9068, OpenID Connect, Okta. */
  private static final List<String> CLIENT_CLAIMS = List.of("client_id", "azp", "cid");

  /**
   * What a bearer token's claims give, before its header: the principal, or null if it has none
   * (then {@code refusal} says why).
   */
  private record FromClaims(
      @Nullable OidcPrincipal principal, Map<String, String> headers, String refusal) {}

  private final AccessSettings access;
  private final IdentityHeaders headers;
  private final String issuer;
  private final boolean passIssuer;
  private final Cache<Map<String, Object>, FromClaims> fromClaims;

  /**
   * @param tokens how many verified tokens the verdict cache holds; this keeps as many callers
   * @param issuer the issuer whose credentials these callers bring (the gate's)
   * @param passIssuer whether the issuer header is set: with several issuers, where the name alone
   *     does not say whose user it is
   */
  public Callers(
      AccessSettings access,
      IdentityHeaders headers,
      int tokens,
      String issuer,
      boolean passIssuer) {
    this.access = access;
    this.headers = headers;
    this.issuer = issuer;
    this.passIssuer = passIssuer;
    // Weak keys for identity comparison (hashing a claims map per request would cost what this
    // saves). They never clear by themselves: the principal holds the claims (Map.copyOf of an
    // unmodifiable map is that map), so the value keeps its key alive. The size bound is what
    // frees entries; a soak without it grew the heap by ~1.2 KiB per new token, without end.
    this.fromClaims =
        Caffeine.newBuilder()
            .weakKeys()
            .maximumSize(Math.max(1, tokens))
            .executor(Runnable::run)
            .build();
  }

  /**
   * The caller of a bearer token.
   *
   * <p>A token without the principal claim and without {@code sub} has no user: a client acting for
   * itself (client credentials; RFC 7662 makes {@code sub} optional). It is named by its client id
   * and marked as a client, never as a user.
   *
   * @throws OidcErrorException 401 when the token names no user (it has {@code sub} but lacks the
   *     principal claim) or names neither a user nor a client
   */
  public Caller forBearer(String token, Map<String, Object> claims) throws OidcErrorException {
    FromClaims derived = fromClaims.get(claims, this::fromClaims);
    if (derived.principal() == null) {
      throw OidcErrors.invalidToken(derived.refusal());
    }
    return new Caller(derived.principal(), headers.forBearer(token, derived.headers()));
  }

  private FromClaims fromClaims(Map<String, Object> claims) {
    // The token's verified iss; an introspected token may lack it: then the gate's issuer.
    Object iss = claims.get("iss");
    String verifiedAt = iss instanceof String ? (String) iss : issuer;
    Map<String, String> out = withIssuer(headers.fromClaims(claims), verifiedAt);
    String name = text(access.principalClaim().resolve(claims));
    if (name != null) {
      return new FromClaims(
          new OidcPrincipal(name, verifiedAt, claims, roles(claims)), Map.copyOf(out), "");
    }
    if (text(claims.get("sub")) != null) {
      return new FromClaims(
          null, Map.of(), "The token has no " + access.principalClaim() + " claim");
    }
    String client = client(claims);
    if (client == null) {
      return new FromClaims(
          null,
          Map.of(),
          "The token names neither a user ("
              + access.principalClaim()
              + ") nor a client (client_id, azp or cid)");
    }
    out.putAll(headers.forClient(client));
    return new FromClaims(
        new OidcPrincipal(client, verifiedAt, claims, roles(claims), true), Map.copyOf(out), "");
  }

  private static @Nullable String client(Map<String, Object> claims) {
    for (String claim : CLIENT_CLAIMS) {
      String value = text(claims.get(claim));
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static @Nullable String text(@Nullable Object value) {
    return value instanceof String s && !s.isEmpty() ? s : null;
  }

  private Map<String, String> withIssuer(Map<String, String> out, String verifiedAt) {
    if (passIssuer) {
      out.putAll(headers.forIssuer(verifiedAt));
    }
    return out;
  }

  /** The caller of a session; named by its subject when the principal claim is missing. */
  public Caller forSession(OidcSession session, Map<String, Object> claims) {
    Object name = access.principalClaim().resolve(claims);
    String principalName =
        name instanceof String && !((String) name).isEmpty() ? (String) name : session.subject();
    String userInfoJson =
        session.userInfo().isEmpty() ? null : JSONObjectUtils.toJSONString(session.userInfo());
    Map<String, String> out =
        headers.forCaller(session.accessToken(), session.idToken(), userInfoJson, claims);
    Map<String, Object> attributes = Map.of();
    DpopKey dpop = session.dpopBound() ? DpopKey.ofSession(session.dpopKey()) : null;
    if (dpop != null) {
      // RFC 9449 §7.1: a DPoP-bound token goes as "DPoP <token>", with a proof for each request.
      out = headers.withDpopScheme(out, session.accessToken());
      DPoPAccessToken token = new DPoPAccessToken(session.accessToken());
      BiFunction<String, URI, String> proofs =
          (method, url) -> dpop.proof(method, url, token, null).serialize();
      attributes = Map.of(Caller.DPOP_PROOF_ATTRIBUTE, proofs);
    }
    return new Caller(
        new OidcPrincipal(principalName, session.issuer(), claims, roles(claims)),
        withIssuer(out, session.issuer()),
        attributes);
  }

  private Set<String> roles(Map<String, Object> claims) {
    Set<String> roles = new LinkedHashSet<>(ClaimValues.of(access.rolesClaim().resolve(claims)));
    roles.addAll(ClaimValues.of(access.groupsClaim().resolve(claims)));
    return roles;
  }
}
