package dev.oidcgate.oidc.config;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import dev.oidcgate.oidc.authz.ClaimPath;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How access tokens are validated (RFC 6750 resource server): locally for JWTs, by introspection
 * (RFC 7662) for opaque tokens.
 *
 * @param audience the audiences a token is accepted for: {@code audience}, or else the client id
 * @param accessTokenTypes empty when any {@code typ} (or none) is accepted
 * @param introspectionEndpoint empty to use discovery's {@code introspection_endpoint}
 */
public record TokenSettings(
    List<String> audience,
    ClaimPath audienceClaim,
    Set<JWSAlgorithm> allowedAlgorithms,
    Set<JOSEObjectType> accessTokenTypes,
    Duration clockSkew,
    int maxTokenLength,
    Optional<URI> introspectionEndpoint,
    Duration introspectionCacheTtl,
    int tokenCacheSize) {

  /** The asymmetric JWS algorithms a token may be signed with; HMAC and {@code none} never are. */
  public static final Set<JWSAlgorithm> ASYMMETRIC_ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);

  public TokenSettings {
    audience = List.copyOf(audience);
    Objects.requireNonNull(audienceClaim);
    for (JWSAlgorithm alg : allowedAlgorithms) {
      if (!ASYMMETRIC_ALGORITHMS.contains(alg)) {
        throw new OidcConfigException(
            OidcSetting.ALLOWED_ALGORITHMS.key(), "unsupported algorithm " + alg);
      }
    }
    allowedAlgorithms = Set.copyOf(allowedAlgorithms);
    accessTokenTypes = Set.copyOf(accessTokenTypes);
    Objects.requireNonNull(clockSkew);
    Objects.requireNonNull(introspectionEndpoint);
    Objects.requireNonNull(introspectionCacheTtl);
  }

  static TokenSettings from(SettingValues v, Optional<String> clientId) {
    List<String> audience = v.optional(OidcSetting.AUDIENCE).orElse(List.of());
    if (audience.isEmpty() && clientId.isPresent()) {
      audience = List.of(clientId.get());
    }
    if (audience.isEmpty()) {
      throw new OidcConfigException(
          OidcSetting.CLIENT_ID.key(),
          "is required (or set audience) so that tokens meant for other clients are refused");
    }
    return new TokenSettings(
        audience,
        v.get(OidcSetting.AUDIENCE_CLAIM),
        v.get(OidcSetting.ALLOWED_ALGORITHMS),
        v.optional(OidcSetting.ACCESS_TOKEN_TYPES).orElse(Set.of()),
        v.get(OidcSetting.CLOCK_SKEW),
        v.get(OidcSetting.MAX_TOKEN_LENGTH),
        v.optional(OidcSetting.INTROSPECTION_ENDPOINT),
        v.get(OidcSetting.INTROSPECTION_CACHE_TTL),
        v.get(OidcSetting.TOKEN_CACHE_SIZE));
  }
}
