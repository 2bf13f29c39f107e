package dev.oidcgate.oidc.identity;

import java.util.Map;

/**
 * An authenticated request's identity: the principal for the app and the headers for the app and
 * the upstream.
 *
 * @param principal the principal, never null
 * @param headers the identity headers to set, in order, never null
 * @param attributes request attributes to set for the app and a proxy behind (such as the DPoP
 *     proof maker), never null
 */
public record Caller(
    OidcPrincipal principal, Map<String, String> headers, Map<String, Object> attributes) {

  /**
   * The request attribute that holds, for a session whose access token is DPoP-bound, the maker of
   * DPoP proofs for the upstream: see {@code IdentityRequest.DPOP_PROOF_ATTRIBUTE}.
   */
  public static final String DPOP_PROOF_ATTRIBUTE = "dev.oidcgate.dpop.proof";

  public Caller {
    headers = Map.copyOf(headers);
    attributes = Map.copyOf(attributes);
  }

  /** A caller with no request attributes besides the claims. */
  public Caller(OidcPrincipal principal, Map<String, String> headers) {
    this(principal, headers, Map.of());
  }
}
