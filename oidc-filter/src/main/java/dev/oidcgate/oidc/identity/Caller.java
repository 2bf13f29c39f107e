package dev.oidcgate.oidc.identity;

import java.util.Map;

/**
 * An authenticated request's identity: the principal for the app and the headers for the app and
 * the upstream.
 *
 * @param principal the principal, never null
 * @param headers the identity headers to set, in order, never null
 */
public record Caller(OidcPrincipal principal, Map<String, String> headers) {

  public Caller {
    headers = Map.copyOf(headers);
  }
}
