package dev.oidcgate.oidc.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProofUse;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPNonceException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.util.singleuse.AlreadyUsedException;
import com.nimbusds.oauth2.sdk.util.singleuse.SingleUseChecker;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.oidcgate.oidc.cluster.ReplayGuard;
import dev.oidcgate.oidc.cluster.ServerNonces;
import dev.oidcgate.oidc.config.DpopTokenSettings;
import dev.oidcgate.oidc.config.DpopTokenSettings.DpopTokens;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks that an access token is presented as its binding demands (RFC 9449 §7): a token whose
 * {@code cnf.jkt} is set (in the JWT, or in the introspection response) only with the {@code DPoP}
 * scheme and a proof signed by that key, for this request's method and public URL, with {@code ath}
 * the token's hash, {@code iat} within {@code dpopProofMaxAge} (and {@code clockSkew} ahead), and a
 * {@code jti} never seen before on any node (the cluster's {@link ReplayGuard}); with {@code
 * dpopNonce=on}, a current server nonce too. The proof itself is checked by Nimbus's {@link
 * DPoPProtectedResourceRequestVerifier}. A bearer request with a token that has no {@code cnf}
 * costs one map lookup here. Thread-safe.
 */
public final class DpopProofs {

  /** The algorithms a proof may be signed with: asymmetric ones only. */
  public static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512);

  /** {@link #ALGORITHMS} as the {@code algs} of a {@code DPoP} challenge (RFC 9449 §7.1). */
  public static final String ALGORITHM_NAMES =
      "ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512";

  /** How a request presented its access token. */
  public record Presentation(boolean dpopScheme, @Nullable String proof, String method, URI url) {

    /** {@code Authorization: Bearer} (or another bearer source): no proof, nothing to name. */
    public static final Presentation BEARER = new Presentation(false, null, "GET", URI.create("/"));
  }

  private final DpopTokens mode;
  private final Duration remember;
  private final @Nullable ServerNonces nonces;
  private final DPoPProtectedResourceRequestVerifier verifier;

  /**
   * @param replays where used {@code jti}s are recorded, shared by the nodes when Redis is used
   * @param nonces the server's nonces, or {@code null} when {@code dpopNonce=off}
   */
  public DpopProofs(
      DpopTokenSettings settings,
      Duration clockSkew,
      ReplayGuard replays,
      @Nullable ServerNonces nonces) {
    this.mode = settings.mode();
    this.remember = settings.proofMaxAge().plus(clockSkew).plus(clockSkew);
    this.nonces = nonces;
    SingleUseChecker<DPoPProofUse> once =
        use -> {
          try {
            if (!replays.firstUse(
                "dpop\n" + use.getIssuer().getValue(), use.getJWTID().getValue(), remember)) {
              throw new AlreadyUsedException("The DPoP proof was used before");
            }
          } catch (SessionStoreException e) {
            throw new StoreUnavailable(e);
          }
        };
    this.verifier =
        new DPoPProtectedResourceRequestVerifier(
            ALGORITHMS, clockSkew.toSeconds(), settings.proofMaxAge().toSeconds(), once);
  }

  /**
   * Whether {@code token}, already validated with {@code claims}, may pass as {@code presented}.
   *
   * @throws OidcErrorException 401 with a {@code DPoP} challenge ({@code invalid_token}, {@code
   *     invalid_dpop_proof}, {@code use_dpop_nonce}) when it may not; 503 when the replay store
   *     cannot be reached
   */
  public void check(String token, Presentation presented, Map<String, Object> claims)
      throws OidcErrorException {
    String jkt = thumbprint(claims);
    if (!presented.dpopScheme()) {
      if (jkt != null) {
        // RFC 9449 §7.2: a bound token is never accepted as a bearer token.
        throw OidcErrors.invalidDpopToken("A DPoP-bound token must be sent with the DPoP scheme");
      }
      if (mode == DpopTokens.REQUIRE) {
        throw OidcErrors.invalidDpopToken("Only DPoP-bound tokens are accepted here");
      }
      return;
    }
    if (mode == DpopTokens.REFUSE) {
      throw OidcErrors.invalidToken("DPoP-bound tokens are not accepted here");
    }
    if (jkt == null) {
      throw OidcErrors.invalidDpopToken("The token is not bound to a DPoP key");
    }
    String proof = presented.proof();
    if (proof == null) {
      throw OidcErrors.invalidDpopProof("The request carries no DPoP proof");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(proof);
    } catch (ParseException | RuntimeException e) {
      throw OidcErrors.invalidDpopProof("The DPoP proof is malformed or unsigned");
    }
    try {
      verifier.verify(
          presented.method(),
          presented.url(),
          new DPoPIssuer(jkt),
          jwt,
          new DPoPAccessToken(token),
          new JWKThumbprintConfirmation(new Base64URL(jkt)),
          acceptedNonces(),
          null);
    } catch (InvalidDPoPNonceException e) {
      throw OidcErrors.useDpopNonce("The DPoP proof must carry the server's current nonce");
    } catch (InvalidDPoPProofException e) {
      throw OidcErrors.invalidDpopProof(reason(String.valueOf(e.getMessage())));
    } catch (AccessTokenValidationException e) {
      String m = String.valueOf(e.getMessage());
      throw m.contains("thumbprint")
          ? OidcErrors.invalidDpopToken("The DPoP proof is signed by another key than the token's")
          : OidcErrors.invalidDpopProof("The DPoP proof's ath does not match the token");
    } catch (JOSEException | RuntimeException e) {
      if (e instanceof StoreUnavailable) {
        throw OidcErrors.providerUnavailable("DPoP proofs cannot be checked right now", 5);
      }
      throw OidcErrors.invalidDpopProof("The DPoP proof could not be verified");
    }
  }

  /** The nonce to send in {@code DPoP-Nonce}, when nonces are on and the store answers. */
  public Optional<String> currentNonce() {
    if (nonces == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(nonces.current());
    } catch (SessionStoreException e) {
      return Optional.empty();
    }
  }

  private @Nullable Set<Nonce> acceptedNonces() throws OidcErrorException {
    if (nonces == null) {
      return null;
    }
    try {
      return nonces.accepted().stream()
          .map(Nonce::new)
          .collect(Collectors.toCollection(LinkedHashSet::new));
    } catch (SessionStoreException e) {
      throw OidcErrors.providerUnavailable("DPoP nonces cannot be checked right now", 5);
    }
  }

  /** {@code cnf.jkt} (RFC 9449 §6), or null when the token is not bound to a DPoP key. */
  public static @Nullable String thumbprint(Map<String, Object> claims) {
    Object cnf = claims.get("cnf");
    if (!(cnf instanceof Map)) {
      return null;
    }
    Object jkt = ((Map<?, ?>) cnf).get("jkt");
    return jkt instanceof String && !((String) jkt).isEmpty() ? (String) jkt : null;
  }

  /** What failed, in words that quote nothing from the proof. */
  private static String reason(String m) {
    if (m.contains("used before") || m.contains("jti") && m.contains("used")) {
      return "The DPoP proof was used before";
    }
    if (m.contains("htm")) {
      return "The DPoP proof is for another HTTP method";
    }
    if (m.contains("htu")) {
      return "The DPoP proof is for another URL";
    }
    if (m.contains("iat") || m.contains("ssue")) {
      return "The DPoP proof is too old or from the future";
    }
    if (m.contains("ath")) {
      return "The DPoP proof has no valid ath";
    }
    if (m.contains("typ") || m.contains("type")) {
      return "The DPoP proof has the wrong type";
    }
    if (m.contains("lgorithm") || m.contains("JWS")) {
      return "The DPoP proof's algorithm is not accepted";
    }
    return "The DPoP proof is invalid";
  }

  /** A replay-store failure carried through Nimbus's single-use callback. */
  private static final class StoreUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreUnavailable(SessionStoreException cause) {
      super("replay store unavailable", cause, false, false);
    }
  }
}
