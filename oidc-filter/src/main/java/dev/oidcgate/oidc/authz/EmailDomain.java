package dev.oidcgate.oidc.authz;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code email} claim must be at one of the given domains (compared ignoring case), and {@code
 * email_verified} must be {@code true}: an unverified address says nothing about who the person is.
 * Immutable and thread-safe.
 */
public final class EmailDomain implements AccessRule {

  private static final ClaimPath EMAIL = ClaimPath.of("email");
  private static final ClaimPath EMAIL_VERIFIED = ClaimPath.of("email_verified");

  private final Set<String> domains;

  public EmailDomain(Set<String> domains) {
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("name at least one domain");
    }
    this.domains =
        domains.stream()
            .map(d -> d.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public Optional<String> deny(Map<String, Object> claims) {
    Object email = EMAIL.resolve(claims);
    if (!(email instanceof String) || !Boolean.TRUE.equals(EMAIL_VERIFIED.resolve(claims))) {
      return Optional.of("The token has no verified e-mail address");
    }
    String address = ((String) email).toLowerCase(Locale.ROOT);
    int at = address.lastIndexOf('@');
    if (at < 1 || !domains.contains(address.substring(at + 1))) {
      return Optional.of("The e-mail address is not at an accepted domain");
    }
    return Optional.empty();
  }
}
