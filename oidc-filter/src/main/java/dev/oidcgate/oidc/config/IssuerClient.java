package dev.oidcgate.oidc.config;

import com.nimbusds.oauth2.sdk.auth.Secret;
import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.settings.SettingParsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code issuerClients}: the name a browser's login picks an issuer by, the issuer,
 * and the client registered there (empty: {@code clientId} and {@code clientSecret}). Immutable.
 *
 * @param name lower-case letters, digits and {@code -}, starting with a letter; it also names the
 *     issuer's session cookie ({@code sessionCookieName.name}), so it never looks like a chunk
 * @param clientSecret never in a message or log line
 */
public record IssuerClient(
    String name, IssuerLocation issuer, Optional<String> clientId, Optional<Secret> clientSecret) {

  public IssuerClient {
    Objects.requireNonNull(name);
    Objects.requireNonNull(issuer);
    Objects.requireNonNull(clientId);
    Objects.requireNonNull(clientSecret);
  }

  /**
   * Parses {@code name=issuer} or {@code name=issuer clientId secret} entries, comma-separated. The
   * secret is the rest after the client id, so it may hold spaces but not {@code ,}. Messages name
   * the entry by its position or name, never quoting the secret.
   */
  static List<IssuerClient> parseList(String text) {
    List<IssuerClient> out = new ArrayList<>();
    int position = 0;
    for (String entry : SettingParsers.list(text)) {
      position++;
      int eq = entry.indexOf('=');
      String name = eq < 0 ? "" : entry.substring(0, eq).trim();
      if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
        throw new IllegalArgumentException(
            "entry "
                + position
                + " must start with a name (a-z, 0-9, '-', starting with a letter) and '='");
      }
      String[] parts = entry.substring(eq + 1).trim().split("\\s+", 3);
      if (parts.length == 2 || (parts.length == 3 && parts[2].isBlank())) {
        throw new IllegalArgumentException(
            "entry '" + name + "' must be name=issuer or name=issuer clientId secret");
      }
      IssuerLocation issuer;
      try {
        issuer = IssuerLocation.parse(parts[0]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("entry '" + name + "': the issuer " + e.getMessage());
      }
      for (IssuerClient other : out) {
        if (other.name.equals(name) || other.issuer.issuer().equals(issuer.issuer())) {
          throw new IllegalArgumentException("entry '" + name + "' repeats a name or an issuer");
        }
      }
      out.add(
          parts.length == 3
              ? new IssuerClient(
                  name, issuer, Optional.of(parts[1]), Optional.of(new Secret(parts[2].trim())))
              : new IssuerClient(name, issuer, Optional.empty(), Optional.empty()));
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "IssuerClient[" + name + ", " + issuer + ", " + clientId.orElse("(clientId)") + "]";
  }
}
