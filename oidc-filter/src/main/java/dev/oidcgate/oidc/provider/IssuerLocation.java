package dev.oidcgate.oidc.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configured issuer and the URL its metadata is read from (OpenID Connect Discovery 1.0 §4).
 * The issuer may be given as itself or as its {@code /.well-known/openid-configuration} URL, as the
 * Amazon Cognito workshop does. Immutable.
 */
public final class IssuerLocation {

  static final String WELL_KNOWN = "/.well-known/openid-configuration";

  /** The placeholder of Entra ID's multi-tenant issuer template. */
  public static final String TENANT_PLACEHOLDER = "{tenantid}";

  // Entra ID's multi-tenant endpoints: their discovery names the issuer .../{tenantid}/v2.0.
  private static final Pattern MULTI_TENANT =
      Pattern.compile("(https?://[^/]+/)(?:common|organizations)(/v2\\.0/?)");
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final String issuer;
  private final URI discoveryUri;

  private IssuerLocation(String issuer, URI discoveryUri) {
    this.issuer = issuer;
    this.discoveryUri = discoveryUri;
  }

  /**
   * @param text the issuer, or its discovery URL
   * @throws IllegalArgumentException when it is not an https URL (http only on the loopback host),
   *     has a query or fragment
   */
  public static IssuerLocation parse(String text) {
    String value = text.trim();
    String issuer =
        value.endsWith(WELL_KNOWN)
            ? value.substring(0, value.length() - WELL_KNOWN.length())
            : value;
    URI uri;
    try {
      uri = new URI(issuer);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("not an absolute https URL");
    }
    if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      // Discovery §3: the issuer is an https URL. Plain http would let anyone on the path swap the
      // keys.
      throw new IllegalArgumentException("must use https (http is accepted for localhost only)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must not have a query or fragment");
    }
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    return new IssuerLocation(issuer, URI.create(base + WELL_KNOWN));
  }

  /** The issuer identifier, exactly as tokens and the discovery document must carry it. */
  public String issuer() {
    return issuer;
  }

  /**
   * The issuer template of an Entra ID multi-tenant endpoint ({@code .../common/v2.0} or {@code
   * .../organizations/v2.0} gives {@code .../{tenantid}/v2.0}); empty for any other issuer.
   */
  public Optional<String> tenantTemplate() {
    Matcher m = MULTI_TENANT.matcher(issuer);
    return m.matches()
        ? Optional.of(m.group(1) + TENANT_PLACEHOLDER + m.group(2))
        : Optional.empty();
  }

  public URI discoveryUri() {
    return discoveryUri;
  }

  @Override
  public String toString() {
    return issuer;
  }
}
