package dev.oidcgate.doctor;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigBuilder;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.config.ProviderProfile;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.http.HttpClient5Transport;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.IdpClients;
import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.oidc.provider.IssuerMismatchException;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.provider.ProviderDetection;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.web.FilterPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import net.minidev.json.JSONObject;
import org.jspecify.annotations.Nullable;

/**
 * oidc-gate-doctor: checks an OpenID provider for OIDC Gate with the filter's own code (discovery
 * by {@link ProviderMetadataSource}, keys by {@link JwksCache}, the token endpoint by {@link
 * IdpClient}, the configuration by {@link OidcConfigBuilder} and {@link FilterPaths}), prints one
 * line per check with a fix for each failure, then the configuration for this provider.
 */
public final class Doctor {

  private static final Duration CLOCK_WARN = Duration.ofSeconds(10);
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private final Options options;
  private final PrintStream out;
  private final Report report;
  private final IdpTransport transport;

  private Doctor(Options options, PrintStream out, IdpTransport transport) {
    this.options = options;
    this.out = out;
    this.report = new Report(out);
    this.transport = transport;
  }

  /**
   * Runs the checks and exits: 0 when no check failed, 1 when one did, 2 on a usage error.
   *
   * @param args the command line; {@code --help} lists it
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System::getenv));
  }

  /**
   * Runs the checks, printing to {@code out}.
   *
   * @param env the environment ({@code OIDC_CLIENT_SECRET})
   * @return the exit status: 0 when no check failed, 1 when one did, 2 on a usage error
   */
  public static int run(String[] args, PrintStream out, UnaryOperator<@Nullable String> env) {
    if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(Options.USAGE);
      return args.length == 0 ? 2 : 0;
    }
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (IllegalArgumentException e) {
      out.println("oidc-gate-doctor: " + e.getMessage() + " (see --help)");
      return 2;
    }
    try (HttpClient5Transport transport =
        new HttpClient5Transport(Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20)) {
      return new Doctor(options, out, transport).check();
    } catch (IOException e) {
      return 1;
    }
  }

  private int check() {
    out.println("oidc-gate-doctor: checking " + options.issuer());
    Optional<Map<String, String>> config = checkAll();
    long failed = report.count(Report.Status.FAIL);
    long warned = report.count(Report.Status.WARN);
    out.println();
    out.println(
        "Result: "
            + report.count(Report.Status.PASS)
            + " passed, "
            + warned
            + (warned == 1 ? " warning, " : " warnings, ")
            + failed
            + " failed");
    config.ifPresent(this::printConfiguration);
    return failed == 0 ? 0 : 1;
  }

  /** The checks, in order; the settings for this provider unless discovery failed. */
  private Optional<Map<String, String>> checkAll() {
    IssuerLocation location;
    try {
      location = IssuerLocation.parse(options.issuer());
    } catch (IllegalArgumentException e) {
      report.fail(
          "issuer URL",
          options.issuer() + " " + e.getMessage(),
          "give the issuer as the IdP names it, e.g. https://idp.example.com/realms/demo (http"
              + " only on localhost), without query or fragment");
      return Optional.empty();
    }
    if (!location.issuer().equals(options.issuer())) {
      report.pass(
          "issuer URL",
          "a discovery URL; the issuer is " + location.issuer() + " (the filter accepts both)");
    } else {
      report.pass("issuer URL", location.issuer());
    }

    // Discovery, read once by hand for what the filter does not keep (status, Date header).
    HTTPResponse discovery;
    Instant sent = Instant.now();
    try {
      discovery = get(location.discoveryUri());
    } catch (IOException e) {
      report.fail(
          "discovery",
          location.discoveryUri() + " cannot be reached: " + e.getMessage(),
          "check host and port from where the app runs, the proxy (-Dhttps.proxyHost) and the"
              + " TLS trust store (-Djavax.net.ssl.trustStore)");
      return Optional.empty();
    }
    Instant received = Instant.now();
    if (discovery.getStatusCode() != 200) {
      report.fail(
          "discovery",
          location.discoveryUri() + " answered HTTP " + discovery.getStatusCode(),
          discoveryFix(location));
      return Optional.empty();
    }
    String named = namedIssuer(discovery);
    if (named == null) {
      report.fail(
          "discovery",
          location.discoveryUri() + " answered no JSON document with an issuer",
          "the URL is not the IdP's discovery document; " + discoveryFix(location));
      return Optional.empty();
    }
    report.pass("discovery", location.discoveryUri() + " answered 200");

    // The issuer check and the parsing are the filter's own.
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon());
    try {
      ProviderMetadataSource source =
          new ProviderMetadataSource(
              location,
              transport,
              Clock.systemUTC(),
              Duration.ofHours(1),
              Duration.ofMinutes(1),
              scheduler);
      try {
        source.start();
      } catch (IssuerMismatchException e) {
        report.fail("issuer", issuerMismatch(location.issuer(), named), issuerFix(named));
        return Optional.empty();
      }
      OIDCProviderMetadata metadata;
      try {
        metadata = source.current();
      } catch (OidcErrorException e) {
        report.fail(
            "issuer",
            "the discovery document names " + named + " but does not parse (no jwks_uri?)",
            "the filter cannot use this document: compare it with OpenID Connect Discovery 1.0 §3");
        return Optional.empty();
      }
      report.pass("issuer", "the document names " + named + ", exactly as configured");
      checkClock(discovery, sent, received);
      checkKeys(metadata, scheduler);
      checkFlow(metadata);
      ProviderProfile profile =
          ProviderDetection.fromDiscovery(metadata).orElse(ProviderProfile.GENERIC);
      checkLogout(metadata, profile);
      checkExtensions(metadata);
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("issuer", location.issuer().equals(options.issuer()) ? named : options.issuer());
      options.clientId().ifPresent(id -> settings.put("clientId", id));
      options.clientSecret().ifPresent(s -> settings.put("clientSecret", s));
      if (options.clientKey().isPresent()) {
        // The key decides: private_key_jwt at the token and introspection endpoints alike.
        settings.put("clientSigningKey", options.clientKey().get());
        options.clientKeyPassword().ifPresent(p -> settings.put("clientSigningKeyPassword", p));
        settings.put("tokenEndpointAuthMethod", "private_key_jwt");
        settings.put("introspectionAuthMethod", "private_key_jwt");
      }
      if (profile != ProviderProfile.GENERIC) {
        settings.put("provider", profile.text());
      }
      options.appUrl().ifPresent(u -> settings.put("externalUrl", u));
      checkClient(metadata, source, settings);
      clockUnknown();
      report.info("provider profile", profile.text() + " (from the discovery document)");
      return Optional.of(settings);
    } finally {
      scheduler.shutdownNow();
    }
  }

  private HTTPResponse get(URI uri) throws IOException {
    HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, uri);
    request.setAccept("application/json");
    return transport.send(request);
  }

  private static @Nullable String namedIssuer(HTTPResponse response) {
    try {
      JSONObject json = response.getBodyAsJSONObject();
      Object issuer = json.get("issuer");
      return issuer instanceof String s ? s : null;
    } catch (ParseException e) {
      return null;
    }
  }

  /** The fix for a discovery URL that does not answer: the usual mistakes, tried. */
  private String discoveryFix(IssuerLocation location) {
    String issuer = location.issuer();
    List<String> candidates = new ArrayList<>();
    candidates.add(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer + "/");
    int wellKnown = issuer.indexOf("/.well-known/");
    if (wellKnown > 0) {
      candidates.add(0, issuer.substring(0, wellKnown));
    }
    for (String candidate : candidates) {
      try {
        IssuerLocation other = IssuerLocation.parse(candidate);
        HTTPResponse r = get(other.discoveryUri());
        String named = r.getStatusCode() == 200 ? namedIssuer(r) : null;
        if (named != null) {
          return "the IdP answers at "
              + other.discoveryUri()
              + ": set issuer to "
              + named
              + (wellKnown > 0
                  ? " (the issuer, not a .well-known URL inside it)"
                  : " (the trailing slash differs)");
        }
      } catch (IOException | IllegalArgumentException e) {
        // not that one either
      }
    }
    return "check the issuer in the IdP's console (Keycloak: http(s)://host/realms/<realm>; Entra"
        + " ID: https://login.microsoftonline.com/<tenant>/v2.0); it is the URL before"
        + " /.well-known/openid-configuration";
  }

  private static String issuerMismatch(String configured, String named) {
    String trimmedA =
        configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    String trimmedB = named.endsWith("/") ? named.substring(0, named.length() - 1) : named;
    if (trimmedA.equals(trimmedB)) {
      return "the document names "
          + named
          + ", which differs from "
          + configured
          + " by the trailing slash; tokens carry the IdP's spelling and the filter compares"
          + " exactly";
    }
    return "the document names " + named + ", not " + configured;
  }

  private static String issuerFix(String named) {
    return "set issuer to exactly "
        + named
        + " if browsers and the app reach the IdP there; if that host is wrong, the IdP does not"
        + " know its public URL (Keycloak: KC_HOSTNAME; behind a proxy: its X-Forwarded-*"
        + " headers)";
  }

  /** True when the Date header told nothing: the clock is read from a token's iat instead. */
  private boolean clockPending;

  private void checkClock(HTTPResponse discovery, Instant sent, Instant received) {
    String date = discovery.getHeaderValue("Date");
    Instant idp = null;
    if (date != null) {
      try {
        idp = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        // as if there were none
      }
    }
    if (idp == null) {
      clockPending = true;
      return;
    }
    compareClocks("its Date header", idp, sent, received);
  }

  /** The clock line when the Date header told nothing and no token's iat did either. */
  private void clockUnknown() {
    if (clockPending) {
      clockPending = false;
      report.warn(
          "clock",
          "the IdP sends no Date header and gave no token with iat; the difference is unknown",
          "give --client-id and --client-secret of a client allowed the client credentials grant,"
              + " or keep this machine's clock in sync (NTP); tokens are checked with"
              + " clockSkew=60s");
    }
  }

  /**
   * @param idp the IdP's time in whole seconds, read between {@code sent} and {@code received}
   */
  private void compareClocks(String source, Instant idp, Instant sent, Instant received) {
    // Date has whole seconds: the IdP's clock was in [idp, idp + 1s) while we waited.
    Instant mid = sent.plus(Duration.between(sent, received).dividedBy(2));
    Duration diff = Duration.between(idp.plusMillis(500), mid);
    long seconds = Math.abs(diff.toSeconds());
    String text =
        seconds == 0
            ? "this machine and the IdP agree within a second"
            : "this machine is "
                + seconds
                + " s "
                + (diff.isNegative() ? "behind" : "ahead of")
                + " the IdP";
    text = text + " (from " + source + ")";
    Duration abs = diff.abs();
    if (abs.compareTo(CLOCK_WARN) <= 0) {
      report.pass("clock", text);
    } else if (abs.compareTo(CLOCK_SKEW) <= 0) {
      report.warn("clock", text, "synchronise the clocks (NTP: timedatectl set-ntp true)");
    } else {
      report.fail(
          "clock",
          text + ", more than clockSkew (60s): fresh tokens look expired or not yet valid",
          "synchronise the clocks (NTP: timedatectl set-ntp true)");
    }
  }

  private void checkKeys(OIDCProviderMetadata metadata, ScheduledExecutorService scheduler) {
    URI jwksUri = metadata.getJWKSetURI();
    try {
      HTTPResponse r = get(jwksUri);
      if (r.getStatusCode() != 200) {
        report.fail(
            "keys",
            "jwks_uri " + jwksUri + " answered HTTP " + r.getStatusCode(),
            "the IdP publishes its keys at a URL that does not serve them: check jwks_uri in the"
                + " discovery document and the IdP's public URL (Keycloak: KC_HOSTNAME)");
        return;
      }
    } catch (IOException e) {
      report.fail(
          "keys",
          "jwks_uri " + jwksUri + " cannot be reached: " + e.getMessage(),
          "the app must reach jwks_uri: if the IdP names an internal host or port there, set"
              + " its public URL (Keycloak: KC_HOSTNAME); else open the way (firewall, proxy)");
      return;
    }
    JwksCache keys =
        new JwksCache(
            metadata::getJWKSetURI,
            transport,
            Clock.systemUTC(),
            new JwksCache.Timing(
                Duration.ofHours(1), Duration.ofSeconds(1), 1, Duration.ofMinutes(1)),
            scheduler);
    List<JWSAlgorithm> algs =
        metadata.getIDTokenJWSAlgs() == null
            ? List.of(JWSAlgorithm.RS256)
            : metadata.getIDTokenJWSAlgs();
    List<String> usable = new ArrayList<>();
    List<String> kids = new ArrayList<>();
    for (JWSAlgorithm alg : algs) {
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) || alg.getName().equals("none")) {
        continue;
      }
      try {
        List<JWK> fit = keys.candidates(new JWSHeader(alg));
        if (!fit.isEmpty()) {
          usable.add(alg.getName());
          for (JWK k : fit) {
            String kid = k.getKeyID() == null ? "(no kid)" : k.getKeyID();
            if (!kids.contains(kid)) {
              kids.add(kid);
            }
          }
        }
      } catch (OidcErrorException e) {
        report.fail(
            "keys",
            "the key set at " + jwksUri + " cannot be read",
            "jwks_uri must answer a JSON Web Key Set (RFC 7517 §5)");
        return;
      }
    }
    if (usable.isEmpty()) {
      report.fail(
          "keys",
          "no public key at "
              + jwksUri
              + " fits the signing algorithms "
              + algs.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", ")),
          "give the realm or tenant an asymmetric signing key (RS256 or ES256) and publish it");
      return;
    }
    report.pass(
        "keys",
        kids.size()
            + (kids.size() == 1 ? " signing key" : " signing keys")
            + " ("
            + String.join(", ", kids)
            + "), usable for "
            + String.join(", ", usable));
  }

  private void checkFlow(OIDCProviderMetadata metadata) {
    List<ResponseType> types = metadata.getResponseTypes();
    if (types != null && !types.contains(ResponseType.CODE)) {
      report.fail(
          "response types",
          "response_types_supported lacks code: " + types,
          "the filter logs in with the authorization code flow; enable it for the client");
    } else {
      report.pass("response types", "code (the authorization code flow)");
    }
    List<CodeChallengeMethod> pkce = metadata.getCodeChallengeMethods();
    if (pkce == null) {
      report.warn(
          "PKCE",
          "code_challenge_methods_supported is not published",
          "none needed if logins work: the filter always sends S256 (RFC 7636); IdPs that do not"
              + " know PKCE ignore it");
    } else if (pkce.contains(CodeChallengeMethod.S256)) {
      report.pass("PKCE", "S256 supported");
    } else {
      report.fail(
          "PKCE",
          "S256 is not among " + pkce,
          "the filter always sends S256: enable S256 at the IdP");
    }
    List<ResponseMode> modes = metadata.getResponseModes();
    if (modes == null) {
      report.pass(
          "response modes", "not listed: query and fragment (the default); responseMode=query");
    } else if (modes.contains(ResponseMode.QUERY)) {
      report.pass(
          "response modes",
          modes.stream().map(ResponseMode::getValue).collect(Collectors.joining(", "))
              + (modes.contains(ResponseMode.FORM_POST)
                  ? " (responseMode=query or form_post)"
                  : " (responseMode=query)"));
    } else if (modes.contains(ResponseMode.FORM_POST)) {
      report.warn(
          "response modes",
          "query is not offered, form_post is",
          "set responseMode=form_post (OIDC_RESPONSE_MODE=form_post)");
    } else {
      report.fail(
          "response modes",
          "neither query nor form_post: " + modes,
          "the filter takes the code by query or form_post; enable one at the IdP");
    }
  }

  private void checkLogout(OIDCProviderMetadata metadata, ProviderProfile profile) {
    URI endSession = metadata.getEndSessionEndpointURI();
    if (endSession != null) {
      report.pass("end-session endpoint", endSession.toString());
    } else {
      Optional<Map.Entry<URI, String>> fallback =
          profile.logoutFallback(
              metadata.getAuthorizationEndpointURI(), metadata.getIssuer().getValue());
      if (fallback.isPresent()) {
        report.pass(
            "end-session endpoint",
            "not in discovery; the "
                + profile.text()
                + " profile logs out at "
                + fallback.get().getKey());
      } else {
        report.warn(
            "end-session endpoint",
            "none: logout ends the app's session only, the user stays signed in at the IdP",
            "set logoutEndpoint if the IdP has a logout URL");
      }
    }
    URI revocation = metadata.getRevocationEndpointURI();
    if (revocation != null) {
      report.pass("revocation endpoint", revocation + " (logout revokes the refresh token)");
    } else {
      report.warn(
          "revocation endpoint",
          "none: logout cannot revoke the refresh token",
          "none at the app; the refresh token lives until it expires at the IdP");
    }
    URI introspection = metadata.getIntrospectionEndpointURI();
    if (introspection != null) {
      report.pass(
          "introspection endpoint", introspection + " (opaque bearer tokens can be checked)");
    } else {
      report.info(
          "introspection endpoint", "none: only JWT bearer tokens can be checked, not opaque ones");
    }
    if (metadata.supportsBackChannelLogout()) {
      report.pass(
          "back-channel logout",
          "supported"
              + (metadata.supportsBackChannelLogoutSession() ? ", with sid" : ", without sid")
              + ": register "
              + backchannelLogoutUrl()
              + " as the client's back-channel logout URL");
    } else {
      report.info(
          "back-channel logout",
          "not supported: a session ends at its timeout, not when the user logs out elsewhere");
    }
    report.info(
        "front-channel logout",
        (metadata.supportsFrontChannelLogout() ? "supported" : "not supported")
            + " (the filter uses back-channel logout)");
  }

  private void checkExtensions(OIDCProviderMetadata metadata) {
    URI par = metadata.getPushedAuthorizationRequestEndpointURI();
    if (metadata.requiresPushedAuthorizationRequests()) {
      report.pass(
          "PAR",
          "required (require_pushed_authorization_requests): the filter pushes to "
              + par
              + " (pushedAuthorizationRequests=auto, the default; keep it, or set always)");
    } else if (par != null) {
      report.pass("PAR", "offered at " + par + ", not required");
    } else {
      report.pass("PAR", "not offered, not required");
    }
    List<JWSAlgorithm> dpop = metadata.getDPoPJWSAlgs();
    report.info(
        "DPoP",
        dpop == null || dpop.isEmpty()
            ? "not offered (bearer tokens only)"
            : "offered with "
                + dpop.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", "))
                + " (set dpop=on when the client must use DPoP-bound tokens)");
  }

  private void checkClient(
      OIDCProviderMetadata metadata, ProviderMetadataSource source, Map<String, String> settings) {
    if (options.clientId().isEmpty()) {
      report.info("client", "no --client-id: client authentication and redirect URIs not checked");
      return;
    }
    List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
    if (options.clientSecret().isPresent()
        && options.clientKey().isEmpty()
        && methods != null
        && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      settings.put("tokenEndpointAuthMethod", "client_secret_post");
    }
    OidcConfig config;
    try {
      OidcConfigBuilder b = OidcConfig.builder();
      settings.forEach(b::set);
      config = b.build();
    } catch (OidcConfigException e) {
      report.fail("configuration", String.valueOf(e.getMessage()), "correct the option this names");
      return;
    }
    if (options.clientSecret().isEmpty() && options.clientKey().isEmpty()) {
      report.info(
          "client authentication",
          "no client secret or key: not checked (give --client-secret, $OIDC_CLIENT_SECRET or"
              + " --client-key)");
    } else {
      IdpClient client =
          IdpClients.of(
              source,
              transport,
              config.client(),
              config.clientKey(),
              config.provider().issuer().issuer(),
              config.extensions().clock());
      checkClientCredentials(metadata, client, config.client().tokenEndpointAuthMethod());
    }
    FilterPaths paths =
        FilterPaths.resolve(
            config.login(), config.logout(), options.contextPath(), List.of(options.urlPattern()));
    Optional<URI> redirect = paths.redirectUriWithoutRequest();
    Optional<URI> postLogout = paths.postLogoutRedirectWithoutRequest();
    if (redirect.isPresent() && postLogout.isPresent()) {
      report.info(
          "redirect URIs",
          "register redirect_uri "
              + redirect.get()
              + " and post-logout redirect URI "
              + postLogout.get()
              + " for client "
              + options.clientId().get());
    } else {
      report.info(
          "redirect URIs",
          "without --app-url they are built on each request's origin: register redirect_uri"
              + " <origin>"
              + redirectPath()
              + " for client "
              + options.clientId().get()
              + " (give --app-url https://app.example.com, externalUrl, to see them whole)");
    }
  }

  private void checkClientCredentials(
      OIDCProviderMetadata metadata, IdpClient client, ClientAuthenticationMethod method) {
    String check = "client authentication";
    TokenResponse answer;
    Instant sent = Instant.now();
    try {
      answer = client.probeClientCredentials();
    } catch (IOException e) {
      report.fail(
          check, "the token endpoint cannot be reached: " + e.getMessage(), "open the way to it");
      return;
    } catch (ParseException e) {
      report.fail(
          check,
          "the token endpoint's answer is no OAuth token response: " + e.getMessage(),
          "check token_endpoint in the discovery document");
      return;
    } catch (OidcErrorException e) {
      report.fail(check, "the token endpoint is unknown", "check the discovery document");
      return;
    }
    if (answer.indicatesSuccess()) {
      Instant received = Instant.now();
      if (clockPending) {
        Instant iat = issuedAt(answer.toSuccessResponse().getTokens().getAccessToken().getValue());
        if (iat != null) {
          clockPending = false;
          compareClocks("the iat of its access token", iat, sent, received);
        }
      }
      report.pass(
          check,
          "client "
              + options.clientId().orElse("")
              + " authenticated with "
              + method.getValue()
              + " (the client credentials grant gave a token)");
      return;
    }
    ErrorObject error = answer.toErrorResponse().getErrorObject();
    String code = error.getCode() == null ? "(no error code)" : error.getCode();
    String said =
        code
            + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")")
            + ", HTTP "
            + error.getHTTPStatusCode();
    URI introspection = metadata.getIntrospectionEndpointURI();
    if (introspection != null) {
      // The grant's refusal does not say whether the client authenticated (Keycloak answers
      // unauthorized_client to a wrong secret and to a grant not allowed alike); introspection,
      // which every authenticated client may call, does.
      String intro;
      try {
        TokenIntrospectionResponse r = client.probeIntrospection(introspection);
        if (r.indicatesSuccess()) {
          report.pass(
              check,
              "client "
                  + options.clientId().orElse("")
                  + " authenticated at the introspection endpoint; the token endpoint refused it"
                  + " the client credentials grant, which the filter does not need: "
                  + said);
          return;
        }
        ErrorObject e = r.toErrorResponse().getErrorObject();
        intro =
            (e.getCode() == null ? "(no error code)" : e.getCode())
                + (e.getDescription() == null ? "" : " (" + e.getDescription() + ")")
                + ", HTTP "
                + e.getHTTPStatusCode();
      } catch (IOException | ParseException e) {
        intro = "no answer (" + e.getMessage() + ")";
      }
      report.fail(
          check,
          "the IdP refused client "
              + options.clientId().orElse("")
              + ": "
              + said
              + "; at the introspection endpoint too: "
              + intro,
          "copy the client secret again from the IdP's console and check the client id; if the"
              + " IdP wants the secret in the form, set tokenEndpointAuthMethod=client_secret_post");
      return;
    }
    switch (code) {
      case "invalid_client" ->
          report.fail(
              check,
              "the IdP refused client " + options.clientId().orElse("") + ": " + said,
              "copy the client secret again from the IdP's console and check the client id; if"
                  + " the IdP wants the secret in the form, set"
                  + " tokenEndpointAuthMethod=client_secret_post");
      default ->
          report.warn(
              check,
              "the IdP refused the client credentials grant ("
                  + said
                  + ") and has no introspection endpoint: whether the client authenticated is"
                  + " unknown",
              "sign in once: a wrong secret fails the login at the callback; or allow the client"
                  + " the client credentials grant for this check");
    }
  }

  private void printConfiguration(Map<String, String> settings) {
    out.println();
    if (options.format().equals("env")) {
      out.println("# The sample WAR's environment for this IdP (docs/sample-webapp.md):");
      settings.forEach(
          (key, value) -> {
            String name = "OIDC_" + upperSnake(key);
            if ((key.equals("clientSecret") || key.equals("clientSigningKeyPassword"))
                && !options.showSecret()) {
              out.println("# " + name + "=<the secret you gave; --show-secret prints it>");
            } else {
              out.println(name + "=" + value);
            }
          });
      if (!settings.containsKey("clientId")) {
        out.println("OIDC_CLIENT_ID=<the app's client id>");
        out.println("OIDC_CLIENT_SECRET=<its secret>");
      }
      return;
    }
    out.println("<!-- web.xml: OIDC Gate for this IdP (docs/configuration.md) -->");
    out.println("<filter>");
    out.println("  <filter-name>oidc</filter-name>");
    out.println("  <filter-class>dev.oidcgate.oidc.OidcFilter</filter-class>");
    settings.forEach(
        (key, value) -> {
          String shown =
              (key.equals("clientSecret") || key.equals("clientSigningKeyPassword"))
                      && !options.showSecret()
                  ? "${env:OIDC_" + upperSnake(key) + "}"
                  : xml(value);
          out.println(
              "  <init-param><param-name>"
                  + key
                  + "</param-name><param-value>"
                  + shown
                  + "</param-value></init-param>");
        });
    out.println("</filter>");
    out.println("<filter-mapping>");
    out.println("  <filter-name>oidc</filter-name>");
    out.println("  <url-pattern>" + xml(options.urlPattern()) + "</url-pattern>");
    out.println("</filter-mapping>");
  }

  private static String upperSnake(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "oidc-gate-doctor");
      t.setDaemon(true);
      return t;
    };
  }

  /** The iat of a JWT access token; null for an opaque one or one without iat. */
  private static @Nullable Instant issuedAt(String accessToken) {
    try {
      java.util.Date iat = JWTParser.parse(accessToken).getJWTClaimsSet().getIssueTime();
      return iat == null ? null : iat.toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }

  /** The redirect URI's path under the origin: callback under the first URL pattern. */
  private String redirectPath() {
    String p = options.urlPattern();
    String prefix = p.startsWith("/") && p.endsWith("/*") ? p.substring(0, p.length() - 2) : "";
    return options.contextPath() + prefix + "/callback";
  }

  /** Where the filter takes logout tokens: backchannel-logout under its first URL pattern. */
  private String backchannelLogoutUrl() {
    String p = options.urlPattern();
    String prefix = p.startsWith("/") && p.endsWith("/*") ? p.substring(0, p.length() - 2) : "";
    String base =
        options
            .appUrl()
            .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
            .orElse("<app>");
    return base + options.contextPath() + prefix + "/backchannel-logout";
  }
}
