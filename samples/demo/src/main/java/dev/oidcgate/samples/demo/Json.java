package dev.oidcgate.samples.demo;

import java.util.Map;

/**
 * Just enough JSON writing for the echo upstream (strings only), to keep the demo's classpath
 * small.
 */
final class Json {

  private Json() {}

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static String object(Map<String, Object> map, String indent) {
    if (map.isEmpty()) {
      return "{}";
    }
    StringBuilder b = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      b.append(indent)
          .append("  ")
          .append(quote(e.getKey()))
          .append(": ")
          .append(quote(String.valueOf(e.getValue())));
      b.append(++i < map.size() ? ",\n" : "\n");
    }
    return b.append(indent).append('}').toString();
  }
}
