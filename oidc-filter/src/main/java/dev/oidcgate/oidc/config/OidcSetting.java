package dev.oidcgate.oidc.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One configuration key: its name (as in {@code web.xml} and {@code docs/configuration.md}), its
 * default as text, one line of meaning, and the parser that turns text into the typed value. Each
 * setting is a constant in the record of its concern ({@link ClientSettings#CLIENT_ID}, {@link
 * TokenSettings#CLOCK_SKEW}, ...), beside the component it fills: adding a setting means a constant
 * and a component in one record, and a row in {@code docs/configuration.md}, which a test checks
 * against {@link #values()}. The builder starts from the defaults, and init-params are parsed
 * through {@link #forKey}. Immutable.
 *
 * @param <T> the parsed type; {@code null} stands for "not set" where a key has no default
 */
public final class OidcSetting<T> {

  /** The records that define settings, in the order their keys are listed. */
  private static final List<Class<?>> CONCERNS =
      List.of(
          SourceSettings.class,
          ProviderSettings.class,
          ClientSettings.class,
          TokenSettings.class,
          AccessSettings.class,
          GroupsOverageSettings.class,
          PolicySettings.class,
          ScriptSettings.class,
          BrowserSettings.class,
          AuthorizationSettings.class,
          ClientKeySettings.class,
          AuthorizationRequestSettings.class,
          SecurityProfileSettings.class,
          MetricsSettings.class,
          UpstreamSettings.class,
          HttpSettings.class,
          LoginSettings.class,
          LogoutSettings.class,
          DpopClientSettings.class,
          SessionSettings.class,
          CookieSettings.class,
          ClusterSettings.class,
          DpopTokenSettings.class,
          Extensions.class);

  // Filled by the concern records' class initialisers, which may run on different threads.
  private static final Queue<OidcSetting<?>> DEFINED = new ConcurrentLinkedQueue<>();
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final Class<?> owner;

  private final String key;
  private final @Nullable String defaultValue;
  private final boolean secret;
  private final String description;
  private final Function<String, T> parser;

  private OidcSetting(
      Class<?> owner,
      String key,
      @Nullable String defaultValue,
      boolean secret,
      String description,
      Function<String, T> parser) {
    this.owner = owner;
    this.key = key;
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.description = description;
    this.parser = parser;
  }

  /** Defines a setting of the calling record. */
  static <T> OidcSetting<T> define(
      String key, @Nullable String defaultValue, String description, Function<String, T> parser) {
    OidcSetting<T> s =
        new OidcSetting<>(WALKER.getCallerClass(), key, defaultValue, false, description, parser);
    DEFINED.add(s);
    return s;
  }

  /** Defines a setting whose value never appears in a message or log line. */
  static <T> OidcSetting<T> secret(String key, String description, Function<String, T> parser) {
    OidcSetting<T> s =
        new OidcSetting<>(WALKER.getCallerClass(), key, null, true, description, parser);
    DEFINED.add(s);
    return s;
  }

  /** Every key: by concern, then in the order its record declares them. */
  public static List<OidcSetting<?>> values() {
    return Registry.ALL;
  }

  /** The setting with this key, or {@code null}. Keys are case-sensitive, as in {@code web.xml}. */
  public static @Nullable OidcSetting<?> forKey(String key) {
    return Registry.BY_KEY.get(key);
  }

  /** Built on first use, after every concern record has defined its settings. */
  private static final class Registry {
    static final List<OidcSetting<?>> ALL = collect();
    static final Map<String, OidcSetting<?>> BY_KEY = index(ALL);

    private static List<OidcSetting<?>> collect() {
      List<OidcSetting<?>> out = new ArrayList<>();
      for (Class<?> concern : CONCERNS) {
        initialise(concern);
        for (OidcSetting<?> s : DEFINED) {
          if (s.owner == concern) {
            out.add(s);
          }
        }
      }
      return List.copyOf(out);
    }

    private static void initialise(Class<?> concern) {
      try {
        Class.forName(concern.getName(), true, concern.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Map<String, OidcSetting<?>> index(List<OidcSetting<?>> all) {
      Map<String, OidcSetting<?>> out = new HashMap<>();
      for (OidcSetting<?> s : all) {
        if (out.put(s.key, s) != null) {
          throw new IllegalStateException("two settings named " + s.key);
        }
      }
      return Map.copyOf(out);
    }
  }

  /** The name used in {@code web.xml}. */
  public String key() {
    return key;
  }

  /** The default as text, or {@code null} when there is none. */
  public @Nullable String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** Whether the value must never appear in a message or log line. */
  public boolean secret() {
    return secret;
  }

  /**
   * Parses a value's text.
   *
   * @throws OidcConfigException naming this key (and quoting the text unless it is a secret)
   */
  public T parse(String text) {
    try {
      return parser.apply(text);
    } catch (OidcConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String shown = secret ? "" : " ('" + abbreviate(text) + "')";
      throw new OidcConfigException(key, e.getMessage() + shown);
    }
  }

  @Override
  public String toString() {
    return key;
  }

  private static String abbreviate(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }
}
