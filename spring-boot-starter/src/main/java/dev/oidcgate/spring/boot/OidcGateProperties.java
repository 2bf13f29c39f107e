package dev.oidcgate.spring.boot;

import dev.oidcgate.oidc.config.OidcSetting;
import dev.oidcgate.proxy.ProxyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code oidc-gate.*} properties, read generically: every filter key ({@link OidcSetting}) is
 * looked up as {@code oidc-gate.<key in kebab case>} and every proxy key ({@link
 * ProxyConfig#keys()}) as {@code oidc-gate.routes.<route>.<key in kebab case>}, through Spring's
 * {@link Binder}, so relaxed binding applies: {@code oidc-gate.client-id}, {@code
 * oidc-gate.clientId} and the environment variable {@code OIDC_GATE_CLIENT_ID} all set {@code
 * clientId}. The values are handed to the filter and the proxy servlet as init-params would be, and
 * they parse and check them.
 *
 * <p>A key under {@code oidc-gate} that is none of these, written in a file or on the command line,
 * fails the start with its name (environment variables are not checked: unrelated ones may start
 * with {@code OIDC_GATE_}).
 */
public final class OidcGateProperties {

  /** The prefix of every property. */
  public static final String PREFIX = "oidc-gate";

  /** {@code false} switches the starter off. */
  public static final String ENABLED = "enabled";

  /** The filter's URL patterns, comma-separated; {@code /*} unless set. */
  public static final String URL_PATTERNS = "url-patterns";

  /** The filter's position among the app's filters. */
  public static final String FILTER_ORDER = "filter-order";

  /** {@code oidc-gate.routes.<name>.*}: one proxy servlet per name. */
  public static final String ROUTES = "routes";

  /** The servlet mapping of a route; {@code /<name>/*} unless set. */
  public static final String ROUTE_PATH = "path";

  /** The starter's own keys, which no filter key may be named like. */
  public static final List<String> STARTER_KEYS =
      List.of(ENABLED, URL_PATTERNS, FILTER_ORDER, ROUTES);

  /** Where the filter sits unless {@code filter-order} says otherwise. */
  public static final int DEFAULT_FILTER_ORDER = -50;

  private static final Pattern ROUTE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  /** One proxy servlet: its name, its servlet mapping and its init-params. */
  public record Route(String name, String path, Map<String, String> parameters) {}

  private final Map<String, String> filterParameters;
  private final List<String> urlPatterns;
  private final int filterOrder;
  private final List<Route> routes;

  private OidcGateProperties(
      Map<String, String> filterParameters,
      List<String> urlPatterns,
      int filterOrder,
      List<Route> routes) {
    this.filterParameters = filterParameters;
    this.urlPatterns = urlPatterns;
    this.filterOrder = filterOrder;
    this.routes = routes;
  }

  /**
   * Reads the properties.
   *
   * @throws IllegalStateException naming the property, for an unknown key or a bad route name
   */
  public static OidcGateProperties read(Environment environment) {
    checkKnownKeys(environment);
    Binder binder = Binder.get(environment);
    Map<String, String> filter = new LinkedHashMap<>();
    for (OidcSetting<?> setting : OidcSetting.values()) {
      binder
          .bind(property(setting.key()), String.class)
          .ifBound(value -> filter.put(setting.key(), value));
    }
    List<String> patterns = new ArrayList<>();
    for (String p :
        binder.bind(PREFIX + "." + URL_PATTERNS, String.class).orElse("/*").split(",")) {
      if (!p.isBlank()) {
        patterns.add(p.trim());
      }
    }
    if (patterns.isEmpty()) {
      throw new IllegalStateException(PREFIX + "." + URL_PATTERNS + ": must name a URL pattern");
    }
    int order =
        binder.bind(PREFIX + "." + FILTER_ORDER, Integer.class).orElse(DEFAULT_FILTER_ORDER);
    List<Route> routes = new ArrayList<>();
    for (String name : routeNames(binder)) {
      String base = PREFIX + "." + ROUTES + "." + name + ".";
      Map<String, String> params = new LinkedHashMap<>();
      for (String key : ProxyConfig.keys()) {
        binder.bind(base + kebab(key), String.class).ifBound(value -> params.put(key, value));
      }
      String path = binder.bind(base + ROUTE_PATH, String.class).orElse("/" + name + "/*");
      routes.add(new Route(name, path, Map.copyOf(params)));
    }
    return new OidcGateProperties(
        Map.copyOf(filter), List.copyOf(patterns), order, List.copyOf(routes));
  }

  /** The filter's init-params, by their {@code web.xml} names. */
  public Map<String, String> filterParameters() {
    return filterParameters;
  }

  public List<String> urlPatterns() {
    return urlPatterns;
  }

  public int filterOrder() {
    return filterOrder;
  }

  public List<Route> routes() {
    return routes;
  }

  /** {@code oidc-gate.<key in kebab case>}: the property of a filter key. */
  public static String property(String filterKey) {
    return PREFIX + "." + kebab(filterKey);
  }

  /** {@code clientId} → {@code client-id}. */
  public static String kebab(String key) {
    StringBuilder out = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          out.append('-');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The form relaxed binding compares names in: no dashes, lower case. */
  private static String uniform(String name) {
    return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  private static Set<String> routeNames(Binder binder) {
    Map<String, String> flat =
        binder
            .bind(PREFIX + "." + ROUTES, Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    Set<String> names = new LinkedHashSet<>();
    for (String key : flat.keySet()) {
      int dot = key.indexOf('.');
      String name = dot < 0 ? key : key.substring(0, dot);
      if (!ROUTE_NAME.matcher(name).matches()) {
        throw new IllegalStateException(
            PREFIX
                + "."
                + ROUTES
                + "."
                + name
                + ": a route name is lower-case letters, digits and dashes");
      }
      String rest = dot < 0 ? "" : key.substring(dot + 1);
      Set<String> known = new TreeSet<>();
      known.add(ROUTE_PATH);
      ProxyConfig.keys().forEach(k -> known.add(kebab(k)));
      if (!known.stream().map(OidcGateProperties::uniform).toList().contains(uniform(rest))) {
        throw new IllegalStateException(
            PREFIX
                + "."
                + ROUTES
                + "."
                + key
                + ": unknown property (a route takes "
                + String.join(", ", known)
                + ")");
      }
      names.add(name);
    }
    return names;
  }

  /** Fails on a key under {@code oidc-gate} that neither the filter nor the starter knows. */
  private static void checkKnownKeys(Environment environment) {
    List<ConfigurationPropertySource> written =
        StreamSupport.stream(ConfigurationPropertySources.get(environment).spliterator(), false)
            .filter(s -> !(s.getUnderlyingSource() instanceof SystemEnvironmentPropertySource))
            .collect(Collectors.toList());
    Map<String, String> given =
        new Binder(written)
            .bind(PREFIX, Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    Set<String> known = new LinkedHashSet<>();
    OidcSetting.values().forEach(s -> known.add(uniform(s.key())));
    STARTER_KEYS.forEach(k -> known.add(uniform(k)));
    for (String key : given.keySet()) {
      String first = key.replaceAll("\\[.*$", "");
      if (first.startsWith(ROUTES + ".")) {
        continue;
      }
      if (!known.contains(uniform(first))) {
        throw new IllegalStateException(
            PREFIX
                + "."
                + key
                + ": unknown property; the filter's keys are in docs/configuration.md, written"
                + " in kebab case (oidc-gate.client-id for clientId)");
      }
    }
  }
}
