package dev.oidcgate.doctor;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.oidc.provider.IssuerMismatchException;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The checks "issuer URL", "discovery" and "issuer". In two steps: {@link #fetch} reads the
 * document by hand (for its status and Date header), {@link #load} then lets the filter's own
 * {@link ProviderMetadataSource} compare the issuer and parse it, so the doctor judges the document
 * exactly as the filter will.
 */
final class DiscoveryCheck {

  /** The document as fetched by hand; {@code sent}/{@code received} bracket the request. */
  record Fetched(
      IssuerLocation location,
      String named,
      HTTPResponse response,
      Instant sent,
      Instant received) {}

  /** The document as the filter parsed it, and the source the client check authenticates with. */
  record Loaded(OIDCProviderMetadata metadata, ProviderMetadataSource source) {}

  private final String issuer;
  private final Report report;
  private final IdpTransport transport;

  DiscoveryCheck(String issuer, Report report, IdpTransport transport) {
    this.issuer = issuer;
    this.report = report;
    this.transport = transport;
  }

  /** The issuer URL and the discovery document; null (after a FAIL line) when either is wrong. */
  @Nullable Fetched fetch() {
    IssuerLocation location;
    try {
      location = IssuerLocation.parse(issuer);
    } catch (IllegalArgumentException e) {
      report.fail(
          "issuer URL",
          issuer + " " + e.getMessage(),
          "give the issuer as the IdP names it, e.g. https://idp.example.com/realms/demo (http"
              + " only on localhost), without query or fragment");
      return null;
    }
    if (!location.issuer().equals(issuer)) {
      report.pass(
          "issuer URL",
          "a discovery URL; the issuer is " + location.issuer() + " (the filter accepts both)");
    } else {
      report.pass("issuer URL", location.issuer());
    }

    HTTPResponse discovery;
    Instant sent = Instant.now();
    try {
      discovery = IdpGet.json(transport, location.discoveryUri());
    } catch (IOException e) {
      report.fail(
          "discovery",
          location.discoveryUri() + " cannot be reached: " + e.getMessage(),
          "check host and port from where the app runs, the proxy (-Dhttps.proxyHost) and the"
              + " TLS trust store (-Djavax.net.ssl.trustStore)");
      return null;
    }
    Instant received = Instant.now();
    IssuerFixes fixes = new IssuerFixes(transport);
    if (discovery.getStatusCode() != 200) {
      report.fail(
          "discovery",
          location.discoveryUri() + " answered HTTP " + discovery.getStatusCode(),
          fixes.discoveryFix(location));
      return null;
    }
    String named = IssuerFixes.namedIssuer(discovery);
    if (named == null) {
      report.fail(
          "discovery",
          location.discoveryUri() + " answered no JSON document with an issuer",
          "the URL is not the IdP's discovery document; " + fixes.discoveryFix(location));
      return null;
    }
    report.pass("discovery", location.discoveryUri() + " answered 200");
    return new Fetched(location, named, discovery, sent, received);
  }

  /**
   * The issuer check and the parsing, both the filter's own; null (after a FAIL line) when the
   * filter would not accept the document.
   *
   * @param scheduler runs the source's refresh; the caller shuts it down
   */
  @Nullable Loaded load(Fetched fetched, ScheduledExecutorService scheduler) {
    ProviderMetadataSource source =
        new ProviderMetadataSource(
            fetched.location(),
            transport,
            Clock.systemUTC(),
            Duration.ofHours(1),
            Duration.ofMinutes(1),
            scheduler);
    String named = fetched.named();
    try {
      source.start();
    } catch (IssuerMismatchException e) {
      report.fail(
          "issuer",
          IssuerFixes.issuerMismatch(fetched.location().issuer(), named),
          IssuerFixes.issuerFix(named));
      return null;
    }
    OIDCProviderMetadata metadata;
    try {
      metadata = source.current();
    } catch (OidcErrorException e) {
      report.fail(
          "issuer",
          "the discovery document names " + named + " but does not parse (no jwks_uri?)",
          "the filter cannot use this document: compare it with OpenID Connect Discovery 1.0 §3");
      return null;
    }
    report.pass("issuer", "the document names " + named + ", exactly as configured");
    return new Loaded(metadata, source);
  }
}
