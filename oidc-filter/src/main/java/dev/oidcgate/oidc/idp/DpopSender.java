package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.oidcgate.oidc.http.IdpTransport;
import java.io.IOException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the provider, with a DPoP proof (RFC 9449 §5, §7) when a key is given, and
 * keeps the provider's last {@code DPoP-Nonce} (RFC 9449 §8) for the next proof to any endpoint.
 * Thread-safe.
 */
final class DpopSender {

  // Log lines keep IdpClient's category, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(IdpClient.class);

  private final IdpTransport transport;

  /** The provider's last {@code DPoP-Nonce} (RFC 9449 §8), for the next proof to any endpoint. */
  private volatile @Nullable Nonce dpopNonce;

  DpopSender(IdpTransport transport) {
    this.transport = transport;
  }

  /**
   * Sends a request, with a DPoP proof when {@code dpop} is not null. The provider's {@code
   * DPoP-Nonce} is kept for later proofs; when it answers {@code use_dpop_nonce} (RFC 9449 §8: 400
   * from the token endpoint, 401 from a resource), the request is built and sent once more with it.
   *
   * @param request built again for a nonce retry: a client assertion is good for one request only
   * @param boundToken the access token the request carries, for the proof's {@code ath}
   */
  HTTPResponse send(
      Supplier<HTTPRequest> request, @Nullable DpopKey dpop, @Nullable AccessToken boundToken)
      throws IOException {
    if (dpop == null) {
      return transport.send(request.get());
    }
    HTTPResponse response = sendWithProof(request.get(), dpop, boundToken);
    if (!asksForNonce(response)) {
      return response;
    }
    LOG.debug("The identity provider asked for a DPoP nonce; sending again with it");
    return sendWithProof(request.get(), dpop, boundToken);
  }

  private HTTPResponse sendWithProof(
      HTTPRequest request, DpopKey dpop, @Nullable AccessToken boundToken) throws IOException {
    request.setDPoP(
        dpop.proof(request.getMethod().name(), request.getURI(), boundToken, dpopNonce));
    HTTPResponse response = transport.send(request);
    Nonce nonce = response.getDPoPNonce();
    if (nonce != null) {
      dpopNonce = nonce;
    }
    return response;
  }

  /** Whether the answer is RFC 9449 §8's {@code use_dpop_nonce}, with a nonce to use. */
  static boolean asksForNonce(HTTPResponse response) {
    if (response.getDPoPNonce() == null) {
      return false;
    }
    if (response.getStatusCode() == 400) {
      try {
        return "use_dpop_nonce".equals(response.getBodyAsJSONObject().get("error"));
      } catch (ParseException e) {
        return false;
      }
    }
    String challenge = response.getWWWAuthenticate();
    return response.getStatusCode() == 401
        && challenge != null
        && challenge.contains("use_dpop_nonce");
  }
}
