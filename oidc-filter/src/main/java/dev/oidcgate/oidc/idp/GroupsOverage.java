package dev.oidcgate.oidc.idp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Entra ID groups overage: a token of a user in more groups than fit carries no {@code groups} but
 * {@code _claim_names: {"groups": "src1"}} (ID and access tokens) or {@code hasgroups: true}. Such
 * claims get {@code groups} from the {@link GroupDirectory}, looked up by {@code oid} (and {@code
 * tid}), cached per user. The URL in {@code _claim_sources} is never followed: Graph is only ever
 * the configured one. A failure is thrown, never turned into "no groups". Thread-safe.
 */
public final class GroupsOverage {

  /** Leaves claims as they are: overage is not resolved. */
  public static final GroupsOverage OFF = new GroupsOverage(null, Duration.ZERO, Clock.systemUTC());

  /** The most users whose groups are kept. */
  static final int MAX_USERS = 10_000;

  private record Groups(List<String> ids, Instant until) {}

  /** Carries a lookup's failure out of the cache's loader. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed(OidcErrorException cause) {
      super(null, cause, false, false);
    }
  }

  private final @Nullable GroupDirectory directory;
  private final Duration ttl;
  private final Clock clock;
  private final @Nullable Cache<String, Groups> cache;

  /**
   * @param ttl how long one user's groups are reused
   */
  public GroupsOverage(@Nullable GroupDirectory directory, Duration ttl, Clock clock) {
    this.directory = directory;
    this.ttl = ttl;
    this.clock = clock;
    // Expiry here only frees memory; a hit is checked against the clock.
    this.cache =
        directory == null
            ? null
            : Caffeine.newBuilder().maximumSize(MAX_USERS).expireAfterWrite(ttl).build();
  }

  /** Whether these claims say the groups were left out for overage. */
  static boolean isOverage(Map<String, Object> claims) {
    if (claims.get("groups") != null) {
      return false;
    }
    Object names = claims.get("_claim_names");
    return Boolean.TRUE.equals(claims.get("hasgroups"))
        || (names instanceof Map<?, ?> m && m.containsKey("groups"));
  }

  /**
   * The claims with {@code groups} filled in when they show overage; else the claims themselves.
   *
   * @throws OidcErrorException 503 when the groups cannot be read now; 401 when the claims name no
   *     user ({@code oid})
   */
  public Map<String, Object> resolve(Map<String, Object> claims) throws OidcErrorException {
    GroupDirectory directory = this.directory;
    Cache<String, Groups> cache = this.cache;
    if (directory == null || cache == null || !isOverage(claims)) { // both null or neither
      return claims;
    }
    Object oid = claims.get("oid");
    Object tid = claims.get("tid");
    if (!(oid instanceof String) || ((String) oid).isEmpty()) {
      throw OidcErrors.invalidToken(
          "The token's groups are left out and it names no oid to look them up by");
    }
    String tenant = tid instanceof String ? (String) tid : "";
    Map<String, Object> out = new LinkedHashMap<>(claims);
    out.put("groups", groups(directory, cache, tenant, (String) oid));
    return out;
  }

  private List<String> groups(
      GroupDirectory directory, Cache<String, Groups> cache, String tenant, String oid)
      throws OidcErrorException {
    String key = tenant + "/" + oid;
    Groups cached = cache.getIfPresent(key);
    if (cached != null && clock.instant().isAfter(cached.until())) {
      cache.asMap().remove(key, cached);
    }
    try {
      // One lookup per user at a time; a failure is not cached, so the next request tries again.
      return cache.get(key, k -> lookUp(directory, tenant, oid)).ids();
    } catch (Failed e) {
      throw (OidcErrorException) e.getCause();
    }
  }

  private Groups lookUp(GroupDirectory directory, String tenant, String oid) {
    try {
      return new Groups(directory.memberGroups(tenant, oid), clock.instant().plus(ttl));
    } catch (OidcErrorException e) {
      throw new Failed(e);
    }
  }
}
