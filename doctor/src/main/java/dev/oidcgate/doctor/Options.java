package dev.oidcgate.doctor;

import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The command line, parsed.
 *
 * @param issuer the issuer URL, or its discovery URL, as the filter's {@code issuer} takes it
 * @param clientId the client id registered at the IdP
 * @param clientSecret its secret ({@code --client-secret}, else {@code $OIDC_CLIENT_SECRET})
 * @param clientKey the file of its private key for {@code private_key_jwt} ({@code --client-key})
 * @param clientKeyPassword the PKCS#12 password ({@code --client-key-password}, else {@code
 *     $OIDC_CLIENT_SIGNING_KEY_PASSWORD})
 * @param appUrl the app's public base URL ({@code externalUrl})
 * @param urlPattern the filter's first URL pattern (the sample WAR's {@code /oidc-route/*})
 * @param contextPath the app's context path
 * @param format {@code env} or {@code web.xml}
 * @param showSecret whether the printed configuration carries the secret itself
 */
record Options(
    String issuer,
    Optional<String> clientId,
    Optional<String> clientSecret,
    Optional<String> clientKey,
    Optional<String> clientKeyPassword,
    Optional<String> appUrl,
    String urlPattern,
    String contextPath,
    String format,
    boolean showSecret) {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar oidc-gate-doctor.jar --issuer URL [options]",
          "",
          "Checks an OpenID provider for OIDC Gate, one line per check with a fix for each failure,",
          "then prints the configuration for it. Exit status: 0 when no check failed, 1 when one",
          "did, 2 on a usage error.",
          "",
          "  --issuer URL          the issuer (or its /.well-known/openid-configuration URL)",
          "  --client-id ID        the client registered for the app: checks that it authenticates",
          "  --client-secret S     its secret (default: $OIDC_CLIENT_SECRET, which keeps it out of",
          "                        the shell history)",
          "  --client-key FILE     or its private key (JWK, JWKS, PEM, PKCS#12): checks that it",
          "                        authenticates with private_key_jwt",
          "  --client-key-password P  the PKCS#12 password (default:",
          "                        $OIDC_CLIENT_SIGNING_KEY_PASSWORD)",
          "  --app-url URL         the app's public base URL (externalUrl): names the redirect_uri",
          "                        and post-logout URI to register",
          "  --url-pattern P       the filter's URL pattern (default /oidc-route/*, the sample WAR's)",
          "  --context-path P      the app's context path (default: none)",
          "  --format env|web.xml  the configuration printed: OIDC_* variables for the sample WAR",
          "                        (default) or a web.xml filter block",
          "  --show-secret         print the client secret in the configuration (default: a",
          "                        placeholder)",
          "  --help                this text");

  /**
   * @throws IllegalArgumentException naming the option that is wrong or missing
   */
  static Options parse(String[] args, UnaryOperator<@Nullable String> env) {
    Map<String, String> values = new java.util.HashMap<>();
    boolean showSecret = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--show-secret")) {
        showSecret = true;
        continue;
      }
      String name = a;
      String value;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
      switch (name) {
        case "--issuer",
            "--client-id",
            "--client-secret",
            "--client-key",
            "--client-key-password",
            "--app-url",
            "--url-pattern",
            "--context-path",
            "--format" ->
            values.put(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    String issuer = values.get("--issuer");
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("--issuer is required");
    }
    String format = values.getOrDefault("--format", "env");
    if (!format.equals("env") && !format.equals("web.xml")) {
      throw new IllegalArgumentException("--format is env or web.xml, not " + format);
    }
    String secret = values.get("--client-secret");
    if (secret == null) {
      secret = env.apply("OIDC_CLIENT_SECRET");
    }
    String keyPassword = values.get("--client-key-password");
    if (keyPassword == null) {
      keyPassword = env.apply("OIDC_CLIENT_SIGNING_KEY_PASSWORD");
    }
    return new Options(
        issuer.trim(),
        Optional.ofNullable(values.get("--client-id")).filter(s -> !s.isBlank()),
        Optional.ofNullable(secret).filter(s -> !s.isBlank()),
        Optional.ofNullable(values.get("--client-key")).filter(s -> !s.isBlank()),
        Optional.ofNullable(keyPassword).filter(s -> !s.isBlank()),
        Optional.ofNullable(values.get("--app-url")).filter(s -> !s.isBlank()),
        values.getOrDefault("--url-pattern", "/oidc-route/*"),
        values.getOrDefault("--context-path", ""),
        format,
        showSecret);
  }
}
