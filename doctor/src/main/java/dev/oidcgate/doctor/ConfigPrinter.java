package dev.oidcgate.doctor;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration printed at the end: the sample WAR's OIDC_* environment ({@code --format env})
 * or a web.xml filter block. Secrets become placeholders unless {@code --show-secret}, so the
 * output can be pasted into a ticket.
 */
final class ConfigPrinter {

  private final Options options;
  private final PrintStream out;

  ConfigPrinter(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * @param settings the filter's init params for this IdP, in the order printed
   */
  void print(Map<String, String> settings) {
    out.println();
    if (options.format().equals("env")) {
      printEnv(settings);
    } else {
      printWebXml(settings);
    }
  }

  private void printEnv(Map<String, String> settings) {
    out.println("# The sample WAR's environment for this IdP (docs/sample-webapp.md):");
    settings.forEach(
        (key, value) -> {
          String name = "OIDC_" + upperSnake(key);
          if (hidden(key)) {
            out.println("# " + name + "=<the secret you gave; --show-secret prints it>");
          } else {
            out.println(name + "=" + value);
          }
        });
    if (!settings.containsKey("clientId")) {
      out.println("OIDC_CLIENT_ID=<the app's client id>");
      out.println("OIDC_CLIENT_SECRET=<its secret>");
    }
  }

  private void printWebXml(Map<String, String> settings) {
    out.println("<!-- web.xml: OIDC Gate for this IdP (docs/configuration.md) -->");
    out.println("<filter>");
    out.println("  <filter-name>oidc</filter-name>");
    out.println("  <filter-class>dev.oidcgate.oidc.OidcFilter</filter-class>");
    settings.forEach(
        (key, value) -> {
          String shown = hidden(key) ? "${env:OIDC_" + upperSnake(key) + "}" : xml(value);
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

  /** The secret and the key's password stay out of the output unless asked for. */
  private boolean hidden(String key) {
    return (key.equals("clientSecret") || key.equals("clientSigningKeyPassword"))
        && !options.showSecret();
  }

  /** clientSecret -> CLIENT_SECRET: how the sample WAR names a key in its environment. */
  private static String upperSnake(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
