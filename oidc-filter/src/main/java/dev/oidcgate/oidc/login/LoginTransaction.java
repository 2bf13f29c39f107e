package dev.oidcgate.oidc.login;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One login in flight: what the callback needs to finish it and to check that it is the same login.
 *
 * @param state the {@code state} sent to the IdP
 * @param nonce the {@code nonce} the ID token must carry
 * @param codeVerifier the PKCE verifier (S256)
 * @param issuer the issuer the login went to (mix-up defence, RFC 9207)
 * @param redirectUri the redirect URI sent, which the token request must repeat
 * @param returnUrl the same-origin URL to go back to
 * @param createdAt when the login started
 * @param preservedPost the id of the form post kept for this login ({@code preservePost}); empty
 *     for none
 * @param silent whether the login asked the IdP for no interaction ({@code prompt=none}): then an
 *     answer that interaction is needed goes back to the app instead of to an error page
 */
public record LoginTransaction(
    String state,
    String nonce,
    String codeVerifier,
    String issuer,
    String redirectUri,
    String returnUrl,
    Instant createdAt,
    String preservedPost,
    boolean silent) {

  public LoginTransaction(
      String state,
      String nonce,
      String codeVerifier,
      String issuer,
      String redirectUri,
      String returnUrl,
      Instant createdAt) {
    this(state, nonce, codeVerifier, issuer, redirectUri, returnUrl, createdAt, "", false);
  }

  String toJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("st", state);
    o.put("n", nonce);
    o.put("cv", codeVerifier);
    o.put("iss", issuer);
    o.put("ru", redirectUri);
    o.put("ret", returnUrl);
    o.put("c", createdAt.getEpochSecond());
    if (!preservedPost.isEmpty()) {
      o.put("pp", preservedPost);
    }
    if (silent) {
      o.put("si", true);
    }
    return JSONObjectUtils.toJSONString(o);
  }

  static LoginTransaction fromJson(String json) throws ParseException {
    Map<String, Object> o = JSONObjectUtils.parse(json);
    try {
      return new LoginTransaction(
          req(o, "st"),
          req(o, "n"),
          req(o, "cv"),
          req(o, "iss"),
          req(o, "ru"),
          req(o, "ret"),
          Instant.ofEpochSecond(JSONObjectUtils.getLong(o, "c")),
          o.containsKey("pp") ? req(o, "pp") : "",
          o.containsKey("si") && JSONObjectUtils.getBoolean(o, "si"));
    } catch (NullPointerException e) {
      throw new ParseException("not a login", 0);
    }
  }

  private static String req(Map<String, Object> o, String key) throws ParseException {
    String v = JSONObjectUtils.getString(o, key);
    if (v == null) {
      throw new ParseException("missing " + key, 0);
    }
    return v;
  }
}
