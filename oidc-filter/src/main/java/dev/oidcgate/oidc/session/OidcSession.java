package dev.oidcgate.oidc.session;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A signed-in browser's session: what the app and a refresh need, nothing more. Stored as JSON
 * (never Java serialization). Immutable; a refresh makes a new value with the same id.
 *
 * @param id random, unguessable, new at every login (no fixation)
 * @param issuer the issuer the login was made with
 * @param subject the ID token's {@code sub}
 * @param idToken the ID token as received (for its claims and {@code id_token_hint} at logout)
 * @param accessToken the access token
 * @param refreshToken the refresh token, or null
 * @param accessTokenExpiresAt when the access token expires, or null if unknown
 * @param tokensReceivedAt when the current tokens came from the token endpoint (for the refresh
 *     time)
 * @param accessTokenVerified whether the access token is a JWT whose signature and issuer were
 *     checked, so that its claims (roles, scopes) may be used
 * @param userInfo claims from the UserInfo endpoint, empty when not asked for
 * @param createdAt when the login completed (for the absolute timeout)
 * @param lastSeenAt when the session was last used (for the idle timeout)
 * @param sid the IdP's session id ({@code sid}, OpenID Connect Back-Channel Logout 1.0 §2.1) that
 *     back-channel logout tokens name this session by, or null; kept from the login's ID token
 *     across refreshes, since a refreshed ID token may leave it out
 * @param dpopKey the session's private DPoP key as a JWK ({@code dpop=on}, RFC 9449), or null; kept
 *     only here, for the proofs the session's requests need
 * @param dpopBound whether the access token is DPoP-bound (the token endpoint answered {@code
 *     token_type} {@code DPoP}), so that it goes on as {@code Authorization: DPoP} with a proof
 */
public record OidcSession(
    String id,
    String issuer,
    String subject,
    String idToken,
    String accessToken,
    @Nullable String refreshToken,
    @Nullable Instant accessTokenExpiresAt,
    Instant tokensReceivedAt,
    boolean accessTokenVerified,
    Map<String, Object> userInfo,
    Instant createdAt,
    Instant lastSeenAt,
    @Nullable String sid,
    @Nullable String dpopKey,
    boolean dpopBound) {

  /**
   * A session whose {@code sid} is the ID token's (at login), without DPoP (see {@link #withDpop}).
   */
  public OidcSession(
      String id,
      String issuer,
      String subject,
      String idToken,
      String accessToken,
      @Nullable String refreshToken,
      @Nullable Instant accessTokenExpiresAt,
      Instant tokensReceivedAt,
      boolean accessTokenVerified,
      Map<String, Object> userInfo,
      Instant createdAt,
      Instant lastSeenAt) {
    this(
        id,
        issuer,
        subject,
        idToken,
        accessToken,
        refreshToken,
        accessTokenExpiresAt,
        tokensReceivedAt,
        accessTokenVerified,
        userInfo,
        createdAt,
        lastSeenAt,
        sidOf(idToken).orElse(null),
        null,
        false);
  }

  public OidcSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(idToken, "idToken");
    Objects.requireNonNull(accessToken, "accessToken");
    userInfo = userInfo == null ? Map.of() : Map.copyOf(userInfo);
    Objects.requireNonNull(createdAt, "createdAt");
    tokensReceivedAt = tokensReceivedAt == null ? createdAt : tokensReceivedAt;
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
  }

  /**
   * When to refresh: {@code leeway} before expiry, but never in the first half of the token's life,
   * so that tokens shorter-lived than the leeway are not refreshed on every request.
   *
   * @return the time, or null when the expiry is unknown
   */
  public @Nullable Instant refreshDueAt(java.time.Duration leeway) {
    if (accessTokenExpiresAt == null) {
      return null;
    }
    Instant byLeeway = accessTokenExpiresAt.minus(leeway);
    Instant halfLife =
        tokensReceivedAt.plus(
            java.time.Duration.between(tokensReceivedAt, accessTokenExpiresAt).dividedBy(2));
    return byLeeway.isAfter(halfLife) ? byLeeway : halfLife;
  }

  public Optional<String> refreshTokenValue() {
    return Optional.ofNullable(refreshToken);
  }

  public OidcSession seenAt(Instant when) {
    return new OidcSession(
        id,
        issuer,
        subject,
        idToken,
        accessToken,
        refreshToken,
        accessTokenExpiresAt,
        tokensReceivedAt,
        accessTokenVerified,
        userInfo,
        createdAt,
        when,
        sid,
        dpopKey,
        dpopBound);
  }

  /** This session with a DPoP key and whether its access token is bound to it. */
  public OidcSession withDpop(@Nullable String key, boolean bound) {
    return new OidcSession(
        id,
        issuer,
        subject,
        idToken,
        accessToken,
        refreshToken,
        accessTokenExpiresAt,
        tokensReceivedAt,
        accessTokenVerified,
        userInfo,
        createdAt,
        lastSeenAt,
        sid,
        key,
        bound);
  }

  public Optional<String> dpopKeyValue() {
    return Optional.ofNullable(dpopKey);
  }

  public Optional<String> sidValue() {
    return Optional.ofNullable(sid);
  }

  /**
   * The session after a refresh: new tokens, same id, same login time. The {@code sid} is the new
   * ID token's when it has one, else the one kept: a refreshed ID token without {@code sid} must
   * not detach the session from the logout tokens that name it.
   */
  public OidcSession refreshed(
      @Nullable String newIdToken,
      String newAccessToken,
      @Nullable String newRefreshToken,
      @Nullable Instant newExpiry,
      boolean newAccessTokenVerified,
      Instant when) {
    return new OidcSession(
        id,
        issuer,
        subject,
        newIdToken == null ? idToken : newIdToken,
        newAccessToken,
        newRefreshToken == null ? refreshToken : newRefreshToken,
        newExpiry,
        when,
        newAccessTokenVerified,
        userInfo,
        createdAt,
        when,
        newIdToken == null ? sid : sidOf(newIdToken).orElse(sid),
        dpopKey,
        dpopBound);
  }

  /** An ID token's {@code sid}, if it is a non-empty string. */
  public static Optional<String> sidOf(String idToken) {
    try {
      Object sid = StoredTokenClaims.of(idToken).get("sid");
      return sid instanceof String && !((String) sid).isEmpty()
          ? Optional.of((String) sid)
          : Optional.empty();
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  public String toJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", id);
    o.put("iss", issuer);
    o.put("sub", subject);
    o.put("idt", idToken);
    o.put("at", accessToken);
    if (refreshToken != null) {
      o.put("rt", refreshToken);
    }
    if (accessTokenExpiresAt != null) {
      o.put("atx", accessTokenExpiresAt.toEpochMilli());
    }
    o.put("tr", tokensReceivedAt.toEpochMilli());
    if (accessTokenVerified) {
      o.put("atv", true);
    }
    if (!userInfo.isEmpty()) {
      o.put("ui", userInfo);
    }
    o.put("c", createdAt.toEpochMilli());
    o.put("s", lastSeenAt.toEpochMilli());
    if (sid != null) {
      o.put("sid", sid);
    }
    if (dpopKey != null) {
      o.put("dk", dpopKey);
    }
    if (dpopBound) {
      o.put("db", true);
    }
    return JSONObjectUtils.toJSONString(o);
  }

  /**
   * @throws ParseException when the JSON is not a session
   */
  public static OidcSession fromJson(String json) throws ParseException {
    Map<String, Object> o = JSONObjectUtils.parse(json);
    try {
      Instant atx =
          o.containsKey("atx") ? Instant.ofEpochMilli(JSONObjectUtils.getLong(o, "atx")) : null;
      Map<String, Object> ui = JSONObjectUtils.getJSONObject(o, "ui");
      Instant created = Instant.ofEpochMilli(JSONObjectUtils.getLong(o, "c"));
      String idToken = JSONObjectUtils.getString(o, "idt");
      // A session stored before sid was kept here: its ID token's, as was read then.
      String sid =
          o.containsKey("sid") ? JSONObjectUtils.getString(o, "sid") : sidOf(idToken).orElse(null);
      return new OidcSession(
          JSONObjectUtils.getString(o, "id"),
          JSONObjectUtils.getString(o, "iss"),
          JSONObjectUtils.getString(o, "sub"),
          idToken,
          JSONObjectUtils.getString(o, "at"),
          JSONObjectUtils.getString(o, "rt"),
          atx,
          // Without "tr" (written before it existed) the tokens count from the login.
          o.containsKey("tr") ? Instant.ofEpochMilli(JSONObjectUtils.getLong(o, "tr")) : created,
          Boolean.TRUE.equals(o.get("atv")),
          ui,
          created,
          Instant.ofEpochMilli(JSONObjectUtils.getLong(o, "s")),
          sid,
          JSONObjectUtils.getString(o, "dk"),
          Boolean.TRUE.equals(o.get("db")));
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new ParseException("not a session", 0);
    }
  }

  @Override
  public String toString() {
    return "OidcSession[" + id.substring(0, Math.min(6, id.length())) + "..., sub=" + subject + "]";
  }
}
