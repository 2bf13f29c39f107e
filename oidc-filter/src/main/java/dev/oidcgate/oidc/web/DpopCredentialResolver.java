package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.token.DpopProofs;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds a DPoP-bound access token, {@code Authorization: DPoP <token>} with its {@code DPoP} proof
 * header (RFC 9449 §7.1), and describes the request as the proof must name it: the method and the
 * public URL ({@code externalUrl}-aware, without query). Called only when the request has no {@code
 * Bearer} credential, so a bearer request pays nothing here.
 */
public final class DpopCredentialResolver {

  private static final String SCHEME = "DPoP";

  /** The token and how it was presented. */
  public record Found(String token, DpopProofs.Presentation presentation) {}

  private final FilterPaths paths;
  private final String contextPath;

  public DpopCredentialResolver(FilterPaths paths, String contextPath) {
    this.paths = paths;
    this.contextPath = contextPath;
  }

  /**
   * @return the token and its proof, or {@code null} when the request has no {@code DPoP}
   *     credential
   * @throws OidcErrorException 401 for an empty token; {@code invalid_dpop_proof} for more than one
   *     {@code DPoP} header; 400 for a URL that cannot be named
   */
  public @Nullable Found resolve(HttpServletRequest request) throws OidcErrorException {
    String value = request.getHeader("Authorization");
    if (value == null) {
      return null;
    }
    value = value.trim();
    if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || (value.length() > SCHEME.length() && value.charAt(SCHEME.length()) != ' ')) {
      return null;
    }
    String token = value.substring(SCHEME.length()).trim();
    if (token.isEmpty()) {
      throw OidcErrors.invalidDpopToken("The DPoP token is empty");
    }
    List<String> proofs = Collections.list(request.getHeaders("DPoP"));
    if (proofs.size() > 1) {
      throw OidcErrors.invalidDpopProof("More than one DPoP header");
    }
    String proof = proofs.isEmpty() ? null : proofs.get(0).trim();
    return new Found(
        token, new DpopProofs.Presentation(true, proof, request.getMethod(), publicUrl(request)));
  }

  /** The URL the caller used, as the public base names it; without query or fragment. */
  private URI publicUrl(HttpServletRequest request) throws OidcErrorException {
    String uri = request.getRequestURI();
    String underContext = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
    try {
      return new URI(paths.absolute(request, underContext));
    } catch (java.net.URISyntaxException e) {
      throw OidcErrors.invalidRequest("The request URL is malformed");
    }
  }
}
