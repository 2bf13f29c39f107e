package dev.oidcgate.spring.boot;

import com.nimbusds.jose.shaded.gson.GsonBuilder;
import dev.oidcgate.oidc.config.OidcSetting;
import dev.oidcgate.proxy.ProxyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates {@code META-INF/spring-configuration-metadata.json} (what IDEs complete {@code
 * application.yml} from) out of the setting definitions: each filter key's description and default
 * from its {@link OidcSetting}, which also writes {@code docs/configuration.md}'s table, and each
 * proxy key's from {@code docs/proxy-servlet.md}'s key table, which the proxy's own test keeps
 * equal to {@link ProxyConfig#keys()}. {@link ConfigurationMetadataTest} fails when the committed
 * file differs, and rewrites it with {@code -Dwrite.starter.metadata=true}.
 */
final class ConfigurationMetadata {

  private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\([^)]+\\)");
  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Za-z]+)` \\| ([^|]*) \\| (.*) \\|$", Pattern.MULTILINE);

  private ConfigurationMetadata() {}

  /** The file's text. */
  static String generate(Path docs) throws IOException {
    List<Map<String, Object>> groups = new ArrayList<>();
    groups.add(
        entry(
            "oidc-gate",
            null,
            "OIDC Gate: the OIDC filter and its proxy routes (docs/spring-boot.md).",
            null));
    List<Map<String, Object>> properties = new ArrayList<>();
    properties.add(
        entry(
            "oidc-gate.enabled",
            "java.lang.Boolean",
            "Whether the starter registers the OIDC filter and the proxy routes.",
            Boolean.TRUE));
    properties.add(
        entry(
            "oidc-gate.url-patterns",
            "java.lang.String",
            "The filter's URL patterns, comma-separated (e.g. /app/*, /api/*).",
            "/*"));
    properties.add(
        entry(
            "oidc-gate.filter-order",
            "java.lang.Integer",
            "The filter's position among the app's servlet filters (lower runs first).",
            OidcGateProperties.DEFAULT_FILTER_ORDER));
    properties.add(
        entry(
            "oidc-gate.routes",
            "java.util.Map<java.lang.String,java.util.Map<java.lang.String,java.lang.String>>",
            routesDescription(docs),
            null));
    for (OidcSetting<?> setting : OidcSetting.values()) {
      properties.add(
          entry(
              OidcGateProperties.property(setting.key()),
              "java.lang.String",
              plain(setting.description()) + " (filter key " + setting.key() + ")",
              setting.defaultValue()));
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("groups", groups);
    file.put("properties", properties);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(file) + "\n";
  }

  /**
   * Every proxy key of a route, with its default and meaning, as docs/proxy-servlet.md has them.
   */
  private static String routesDescription(Path docs) throws IOException {
    String table = Files.readString(docs.resolve("proxy-servlet.md"));
    Map<String, String> rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(table);
    while (m.find()) {
      String key = m.group(1);
      if (ProxyConfig.keys().contains(key)) {
        rows.put(key, "default " + plain(m.group(2).trim()) + ": " + plain(m.group(3).trim()));
      }
    }
    if (!rows.keySet().equals(ProxyConfig.keys())) {
      throw new IllegalStateException(
          "docs/proxy-servlet.md documents "
              + rows.keySet()
              + ", the proxy has "
              + ProxyConfig.keys());
    }
    StringBuilder out =
        new StringBuilder(
            "Proxy routes: oidc-gate.routes.<name>.<key> registers a proxy servlet on"
                + " oidc-gate.routes.<name>.path (default /<name>/*). Its keys:");
    rows.forEach(
        (key, text) ->
            out.append(' ')
                .append(OidcGateProperties.kebab(key))
                .append(" (")
                .append(text)
                .append(");"));
    return out.toString();
  }

  /** Markdown to plain text: no backticks, links as their text. */
  private static String plain(String markdown) {
    return LINK.matcher(markdown).replaceAll("$1").replace("`", "");
  }

  private static Map<String, Object> entry(
      String name, String type, String description, Object defaultValue) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    if (type != null) {
      e.put("type", type);
    }
    e.put("description", description);
    if (defaultValue != null) {
      e.put("defaultValue", defaultValue);
    }
    if (type == null) {
      e.put("type", "dev.oidcgate.spring.boot.OidcGateProperties");
      e.put("sourceType", "dev.oidcgate.spring.boot.OidcGateProperties");
    } else {
      e.put("sourceType", "dev.oidcgate.spring.boot.OidcGateProperties");
    }
    return e;
  }
}
