package dev.oidcgate.oidc.identity;

import dev.oidcgate.oidc.authz.ClaimPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The headers the filter sets for the app and the upstream: the access token and claims mapped to
 * headers. It also knows every name it may set, so client-sent headers with those names can be
 * removed before anything else runs (no spoofing of identity). Immutable and thread-safe.
 */
public final class IdentityHeaders {

  private final TokenHeader tokenHeader;
  private final TokenHeader idTokenHeader;
  private final TokenHeader userInfoHeader;
  private final TokenHeader issuerHeader;
  private final TokenHeader clientHeader;
  private final Map<String, ClaimPath> claimHeaders;
  private final HeaderMatcher managed;

  public IdentityHeaders(TokenHeader tokenHeader, Map<String, ClaimPath> claimHeaders) {
    this(tokenHeader, TokenHeader.NONE, TokenHeader.NONE, claimHeaders, HeaderMatcher.NONE);
  }

  /**
   * @param tokenHeader where the access token goes
   * @param idTokenHeader where a session's ID token goes
   * @param userInfoHeader where a session's UserInfo claims go (base64url JSON)
   * @param claimHeaders header name to claim
   * @param alsoStripped client-sent headers removed although the filter does not set them
   */
  public IdentityHeaders(
      TokenHeader tokenHeader,
      TokenHeader idTokenHeader,
      TokenHeader userInfoHeader,
      Map<String, ClaimPath> claimHeaders,
      HeaderMatcher alsoStripped) {
    this(tokenHeader, idTokenHeader, userInfoHeader, TokenHeader.NONE, claimHeaders, alsoStripped);
  }

  /**
   * @param issuerHeader where the caller's issuer goes (a name without scheme), where the filter
   *     accepts several issuers; its name is stripped from clients in any case
   */
  public IdentityHeaders(
      TokenHeader tokenHeader,
      TokenHeader idTokenHeader,
      TokenHeader userInfoHeader,
      TokenHeader issuerHeader,
      Map<String, ClaimPath> claimHeaders,
      HeaderMatcher alsoStripped) {
    this(
        tokenHeader,
        idTokenHeader,
        userInfoHeader,
        issuerHeader,
        TokenHeader.NONE,
        claimHeaders,
        alsoStripped);
  }

  /**
   * @param clientHeader where a machine caller's client id goes (a caller without a user); its name
   *     is stripped from clients in any case
   */
  public IdentityHeaders(
      TokenHeader tokenHeader,
      TokenHeader idTokenHeader,
      TokenHeader userInfoHeader,
      TokenHeader issuerHeader,
      TokenHeader clientHeader,
      Map<String, ClaimPath> claimHeaders,
      HeaderMatcher alsoStripped) {
    this.tokenHeader = tokenHeader;
    this.idTokenHeader = idTokenHeader;
    this.userInfoHeader = userInfoHeader;
    this.issuerHeader = issuerHeader;
    this.clientHeader = clientHeader;
    this.claimHeaders = new java.util.LinkedHashMap<>(claimHeaders);
    List<String> names = new ArrayList<>(claimHeaders.keySet());
    tokenHeader.headerName().ifPresent(names::add);
    idTokenHeader.headerName().ifPresent(names::add);
    userInfoHeader.headerName().ifPresent(names::add);
    issuerHeader.headerName().ifPresent(names::add);
    clientHeader.headerName().ifPresent(names::add);
    names.removeIf(n -> n.equalsIgnoreCase("Authorization"));
    this.managed = new HeaderMatcher(names).and(alsoStripped);
  }

  /** Where the access token goes ({@code upstreamAccessTokenHeader}). */
  public TokenHeader tokenHeader() {
    return tokenHeader;
  }

  /**
   * Whether a client-sent header with this name must be dropped before anything reads it. {@code
   * Authorization} is not: it is the credential itself, which the filter reads; {@code
   * IdentityRequest} hides it from the app on every path.
   */
  public boolean isManaged(String headerName) {
    return managed.matches(headerName) && !headerName.equalsIgnoreCase("Authorization");
  }

  /**
   * {@code headers} with the access token header's {@code Bearer} scheme made {@code DPoP} (RFC
   * 9449 §7.1), for a DPoP-bound token; a header configured without a scheme or with another one is
   * left as it is.
   */
  public Map<String, String> withDpopScheme(Map<String, String> headers, String accessToken) {
    String name = tokenHeader.name();
    String scheme = tokenHeader.scheme();
    if (name == null || scheme == null || !scheme.equalsIgnoreCase("Bearer")) {
      return headers;
    }
    Map<String, String> out = new LinkedHashMap<>(headers);
    out.put(name, "DPoP " + accessToken);
    return out;
  }

  /** The headers to add for a caller with these verified claims and this access token. */
  public Map<String, String> forCaller(String accessToken, Map<String, Object> claims) {
    return forCaller(accessToken, null, null, claims);
  }

  /**
   * The headers for a session's caller.
   *
   * @param idToken the ID token, or null
   * @param userInfoJson the UserInfo claims as JSON, or null
   */
  public Map<String, String> forCaller(
      String accessToken,
      @Nullable String idToken,
      @Nullable String userInfoJson,
      Map<String, Object> claims) {
    Map<String, String> out = new LinkedHashMap<>();
    tokenHeader.headerName().ifPresent(name -> out.put(name, tokenHeader.value(accessToken)));
    if (idToken != null) {
      idTokenHeader.headerName().ifPresent(name -> out.put(name, idTokenHeader.value(idToken)));
    }
    if (userInfoJson != null) {
      userInfoHeader
          .headerName()
          .ifPresent(
              name ->
                  out.put(
                      name,
                      userInfoHeader.value(
                          java.util.Base64.getUrlEncoder()
                              .withoutPadding()
                              .encodeToString(
                                  userInfoJson.getBytes(
                                      java.nio.charset.StandardCharsets.UTF_8)))));
    }
    out.putAll(fromClaims(claims));
    return out;
  }

  /**
   * The headers for a bearer token's caller: the token's header, then {@code fromClaims} (what
   * {@link #fromClaims} gave for the token's claims, which a caller may keep per verified token).
   */
  public Map<String, String> forBearer(String accessToken, Map<String, String> fromClaims) {
    Map<String, String> out = new LinkedHashMap<>();
    tokenHeader.headerName().ifPresent(name -> out.put(name, tokenHeader.value(accessToken)));
    out.putAll(fromClaims);
    return out;
  }

  /** The issuer header for a caller verified at {@code issuer}; empty when there is none. */
  public Map<String, String> forIssuer(String issuer) {
    return issuerHeader
        .headerName()
        .map(name -> Map.of(name, headerValue(issuer)))
        .orElse(Map.of());
  }

  /** The client header for a machine caller named {@code clientId}; empty when there is none. */
  public Map<String, String> forClient(String clientId) {
    return clientHeader
        .headerName()
        .map(name -> Map.of(name, headerValue(clientId)))
        .orElse(Map.of());
  }

  /** The claim headers alone, in their configured order: a function of the claims only. */
  public Map<String, String> fromClaims(Map<String, Object> claims) {
    Map<String, String> out = new LinkedHashMap<>();
    claimHeaders.forEach(
        (header, claim) -> {
          String value = headerValue(claim.resolve(claims));
          if (value != null) {
            out.put(header, value);
          }
        });
    return out;
  }

  private static @Nullable String headerValue(@Nullable Object claim) {
    String text;
    if (claim instanceof String || claim instanceof Number || claim instanceof Boolean) {
      text = claim.toString();
    } else if (claim instanceof Collection) {
      StringBuilder joined = new StringBuilder();
      for (Object item : (Collection<?>) claim) {
        if (item instanceof String || item instanceof Number || item instanceof Boolean) {
          joined.append(joined.length() == 0 ? "" : ",").append(item);
        }
      }
      text = joined.toString();
    } else {
      return null;
    }
    // A claim is data from the token, not header syntax: control characters would split the header.
    StringBuilder safe = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      safe.append(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return safe.toString();
  }
}
