package dev.oidcgate.oidc.authz;

import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a caller with verified claims may pass. Implementations must be thread-safe, fast
 * and must not throw; they see only claims that came from a verified token or introspection
 * response.
 */
@FunctionalInterface
public interface AccessRule {

  /** The rule that lets every authenticated caller pass. */
  AccessRule ALLOW_AUTHENTICATED = claims -> Optional.empty();

  /**
   * @param claims the verified claims, never null
   * @return empty to allow; otherwise a short reason for the 403, with no claim values in it
   */
  Optional<String> deny(Map<String, Object> claims);

  /** This rule and then {@code next}; the first denial wins. */
  default AccessRule and(AccessRule next) {
    return claims -> {
      Optional<String> denied = deny(claims);
      return denied.isPresent() ? denied : next.deny(claims);
    };
  }
}
