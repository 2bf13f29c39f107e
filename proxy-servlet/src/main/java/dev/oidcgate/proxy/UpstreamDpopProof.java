package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.BiFunction;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

/**
 * A fresh DPoP proof (RFC 9449 §7) for the upstream request, when the filter in front passed a
 * DPoP-bound access token on: the filter leaves a proof maker in the request attribute {@value
 * #ATTRIBUTE} (a {@code BiFunction<String, URI, String>}: method and URL to a signed proof), and
 * the proxy asks it for one with the method and URL it is about to send, after the {@link
 * UpstreamRequestCustomizer}. The proof replaces any {@code DPoP} header the client sent. Without
 * the attribute the request is left alone. The proxy never sees the key.
 */
final class UpstreamDpopProof {

  /** The request attribute, as the OIDC filter names it ({@code IdentityRequest}). */
  static final String ATTRIBUTE = "dev.oidcgate.dpop.proof";

  static final String HEADER = "DPoP";

  private UpstreamDpopProof() {}

  /**
   * Sets the {@code DPoP} header of {@code upstream} when {@code client} carries a proof maker.
   *
   * @throws IllegalStateException when the upstream URL cannot be read or the maker fails
   */
  static void apply(HttpServletRequest client, HttpUriRequestBase upstream) {
    if (!(client.getAttribute(ATTRIBUTE) instanceof BiFunction<?, ?, ?> maker)) {
      return;
    }
    URI url;
    try {
      url = upstream.getUri();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the upstream URL does not parse", e);
    }
    @SuppressWarnings("unchecked")
    BiFunction<String, URI, String> proofs = (BiFunction<String, URI, String>) maker;
    upstream.setHeader(HEADER, proofs.apply(upstream.getMethod(), url));
  }
}
