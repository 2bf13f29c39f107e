package dev.oidcgate.oidc.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.text.ParseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's DPoP key pair (RFC 9449), EC P-256 signing with ES256: made when the session's
 * first tokens are asked for, kept inside the session (sealed in the cookie, or in the server-side
 * store), and used for every proof the session needs: at the token endpoint (code exchange,
 * refresh), UserInfo, revocation and the upstream. Its private part leaves this class only as
 * {@link #toJson()}, for the session store; {@link #toString()} names only the thumbprint.
 * Thread-safe.
 */
public final class DpopKey {

  private static final Logger LOG = LoggerFactory.getLogger(DpopKey.class);
  private static final JWSAlgorithm ALG = JWSAlgorithm.ES256;

  private final ECKey key;
  private final DPoPProofFactory proofs;

  private DpopKey(ECKey key) {
    if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
      throw new IllegalArgumentException("not a private P-256 key");
    }
    this.key = key;
    try {
      this.proofs = new DefaultDPoPProofFactory(key, ALG);
    } catch (JOSEException e) {
      throw new IllegalStateException("ES256 is not available", e);
    }
  }

  /** A new random key pair. */
  public static DpopKey generate() {
    try {
      return new DpopKey(new ECKeyGenerator(Curve.P_256).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("EC P-256 keys cannot be made", e);
    }
  }

  /**
   * The key {@link #toJson()} wrote.
   *
   * @throws ParseException when the text is not a private P-256 JWK
   */
  public static DpopKey parse(String json) throws ParseException {
    try {
      return new DpopKey(ECKey.parse(json));
    } catch (IllegalArgumentException e) {
      throw new ParseException("not a DPoP key", 0);
    }
  }

  /**
   * The key a session keeps ({@link #toJson()}), or null when it has none or it does not parse
   * (sessions are sealed, so that is a bug; logged without the key).
   */
  public static @Nullable DpopKey ofSession(@Nullable String json) {
    if (json == null) {
      return null;
    }
    try {
      return parse(json);
    } catch (ParseException e) {
      LOG.warn("A session's DPoP key does not parse; its requests go without proofs");
      return null;
    }
  }

  /** The private JWK as JSON: for the session store only, never for a log or a response. */
  public String toJson() {
    return key.toJSONString();
  }

  /** The public key's JWK SHA-256 thumbprint (RFC 7638), as an access token's {@code cnf.jkt}. */
  public String thumbprint() {
    try {
      return key.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * A fresh proof (new {@code jti}, {@code iat} now) for one request.
   *
   * @param method the HTTP method ({@code htm})
   * @param url the request URL; its query and fragment are left out of {@code htu}
   * @param accessToken the access token the request carries, for {@code ath}; null for none
   * @param nonce the server's last {@code DPoP-Nonce}, or null
   */
  public SignedJWT proof(
      String method, URI url, @Nullable AccessToken accessToken, @Nullable Nonce nonce) {
    if (url.getScheme() == null || url.getRawAuthority() == null) {
      throw new IllegalArgumentException("not an absolute URL");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    URI htu = URI.create(url.getScheme() + "://" + url.getRawAuthority() + path);
    try {
      return accessToken == null
          ? proofs.createDPoPJWT(method, htu, nonce)
          : proofs.createDPoPJWT(method, htu, accessToken, nonce);
    } catch (JOSEException e) {
      throw new IllegalStateException("A DPoP proof could not be signed", e);
    }
  }

  @Override
  public String toString() {
    return "DpopKey[jkt=" + thumbprint() + "]";
  }
}
