package dev.oidcgate.oidc.config;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.settings.SettingParsers;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parsers for the settings whose values are specific to OpenID Connect. */
final class SettingTypes {

  private SettingTypes() {}

  static Set<JWSAlgorithm> algorithms(String v) {
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    for (String name : SettingParsers.words(v)) {
      JWSAlgorithm alg = JWSAlgorithm.parse(name);
      if (!TokenSettings.ASYMMETRIC_ALGORITHMS.contains(alg)) {
        throw new IllegalArgumentException(
            "unsupported algorithm "
                + name
                + "; choose from "
                + TokenSettings.ASYMMETRIC_ALGORITHMS);
      }
      out.add(alg);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("name at least one algorithm");
    }
    return Collections.unmodifiableSet(out);
  }

  static List<Credential> credentials(String v) {
    List<Credential> out = new ArrayList<>();
    for (String word : SettingParsers.words(v)) {
      Credential c = SettingParsers.choice(word, Credential.values(), Credential::text);
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("name session, bearer or both");
    }
    return List.copyOf(out);
  }

  static Set<JOSEObjectType> types(String v) {
    Set<JOSEObjectType> out = new LinkedHashSet<>();
    for (String t : SettingParsers.words(v)) {
      out.add(new JOSEObjectType(t));
    }
    return Collections.unmodifiableSet(out);
  }

  static ClientAuthenticationMethod authMethod(String v, boolean noneAllowed) {
    ClientAuthenticationMethod m = ClientAuthenticationMethod.parse(v.trim());
    if (m.equals(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        || m.equals(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        || m.equals(ClientAuthenticationMethod.CLIENT_SECRET_JWT)
        || m.equals(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
        || (noneAllowed && m.equals(ClientAuthenticationMethod.NONE))) {
      return m;
    }
    throw new IllegalArgumentException(
        noneAllowed
            ? "write one of client_secret_basic, client_secret_post, client_secret_jwt,"
                + " private_key_jwt, none"
            : "write one of client_secret_basic, client_secret_post, client_secret_jwt,"
                + " private_key_jwt");
  }

  static List<Set<String>> alternatives(String v) {
    List<Set<String>> out = new ArrayList<>();
    for (String entry : SettingParsers.list(v)) {
      out.add(Set.copyOf(List.of(entry.split("\\s+"))));
    }
    return List.copyOf(out);
  }

  static Map<String, ClaimPath> headerMap(String v) {
    Map<String, ClaimPath> out = new LinkedHashMap<>();
    for (String entry : SettingParsers.list(v)) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException("write Header=claim, e.g. X-Authenticated-User=sub");
      }
      out.put(entry.substring(0, eq).trim(), ClaimPath.of(entry.substring(eq + 1)));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Header names or prefixes ({@code Name*}), space- or comma-separated; {@code none} for none. */
  static List<String> headerPatterns(String v) {
    List<String> out = new ArrayList<>();
    for (String word : v.trim().split("[\\s,]+")) {
      if (!word.isEmpty() && !word.equalsIgnoreCase("none")) {
        out.add(word);
      }
    }
    return List.copyOf(out);
  }

  /** A header a bearer token may come in: an HTTP token, never {@code Authorization} itself. */
  static String bearerHeaderName(String text) {
    String t = text.trim();
    if (!t.matches("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+")) {
      throw new IllegalArgumentException("not a header name");
    }
    if (t.equalsIgnoreCase("Authorization") || t.equalsIgnoreCase("Cookie")) {
      throw new IllegalArgumentException(t + " is read anyway; name another header");
    }
    return t;
  }

  /** A path under the context: starts with {@code /}; blank for none. */
  static String frontchannelPath(String text) {
    String t = text.trim();
    if (!t.isEmpty() && (!t.startsWith("/") || t.contains("?") || t.contains("#"))) {
      throw new IllegalArgumentException("write a path under the context, e.g. /app/logout");
    }
    return t;
  }

  /** An HTTP header name (RFC 9110 token). */
  static String headerName(String text) {
    String t = text.trim();
    if (!t.isEmpty() && !t.matches("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+")) {
      throw new IllegalArgumentException("not a header name");
    }
    return t;
  }

  /** A URL query parameter name. */
  static String parameterName(String text) {
    String t = text.trim();
    if (!t.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("not a parameter name");
    }
    return t;
  }

  /** A cookie name (RFC 6265 token). */
  static String cookieName(String text) {
    String t = text.trim();
    if (t.isEmpty() || !t.matches("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+")) {
      throw new IllegalArgumentException("not a valid cookie name");
    }
    return t;
  }

  /**
   * A public base URL: absolute http(s), with a host, no user info, query or fragment; a trailing
   * {@code /} is dropped, so {@code https://app.example.com/} gives {@code
   * https://app.example.com}.
   */
  static URI baseUrl(String text) {
    URI uri = SettingParsers.httpUri(text);
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("write only scheme, host, port and path");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(
        uri.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + uri.getHost().toLowerCase(Locale.ROOT)
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + path);
  }
}
