package dev.oidcgate.doctor;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks read from the discovery document alone, no request: what the login needs (response
 * types, PKCE, response modes) and the extensions the filter adapts to (PAR, DPoP). Two methods
 * because the logout lines are printed between them.
 */
final class MetadataCheck {

  private final Report report;

  MetadataCheck(Report report) {
    this.report = report;
  }

  /**
   * "response types", "PKCE", "response modes": the authorization code flow as the filter runs it.
   */
  void flow(OIDCProviderMetadata metadata) {
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

  /** "PAR", "DPoP". */
  void extensions(OIDCProviderMetadata metadata) {
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
}
