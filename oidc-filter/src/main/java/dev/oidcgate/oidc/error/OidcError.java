package dev.oidcgate.oidc.error;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An error the filter answers a request with: the HTTP status, the OAuth 2.0 error code (RFC 6750
 * §3.1, RFC 6749 §5.2) and a short description meant for the caller.
 *
 * <p>The description never contains a token, a secret or raw caller input; it is limited to the
 * characters RFC 6750 §3 allows in {@code error_description} so it can go into a {@code
 * WWW-Authenticate} header as it is.
 *
 * @param status the HTTP status code
 * @param code the OAuth error code, or {@code null} when the request carried no credential at all
 *     (RFC 6750 §3.1: then the challenge has no {@code error})
 * @param description a short reason, never null
 * @param retryAfterSeconds for 503: when to try again ({@code Retry-After}); 0 for none
 * @param scheme the authentication scheme of the challenge: {@code Bearer} (RFC 6750), or {@code
 *     DPoP} (RFC 9449 §7.1) for a refused DPoP proof or DPoP-bound token
 */
public record OidcError(
    int status, @Nullable String code, String description, long retryAfterSeconds, String scheme) {

  /** The challenge scheme of RFC 6750. */
  public static final String BEARER = "Bearer";

  /** The challenge scheme of RFC 9449. */
  public static final String DPOP = "DPoP";

  public OidcError {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(scheme, "scheme");
    description = safeDescription(description);
  }

  public OidcError(int status, @Nullable String code, String description, long retryAfterSeconds) {
    this(status, code, description, retryAfterSeconds, BEARER);
  }

  public OidcError(int status, @Nullable String code, String description) {
    this(status, code, description, 0);
  }

  /**
   * Whether the caller is told to authenticate with a bearer token (401 and 403 carry a challenge).
   */
  public boolean hasBearerChallenge() {
    return status == 401 || status == 403;
  }

  private static String safeDescription(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      // RFC 6750 §3: %x20-21 / %x23-5B / %x5D-7E, so no quote, backslash or control characters.
      boolean allowed = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
      out.append(allowed ? c : '?');
    }
    return out.toString();
  }
}
