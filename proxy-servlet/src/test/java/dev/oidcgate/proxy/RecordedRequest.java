package dev.oidcgate.proxy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What the upstream received, as the echo servlet saw it. Header names keep their case. */
record RecordedRequest(
    String method,
    String rawUri,
    List<Map.Entry<String, String>> headers,
    long bodyLength,
    long bodyCrc) {

  List<String> header(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .collect(Collectors.toList());
  }

  String first(String name) {
    List<String> values = header(name);
    return values.isEmpty() ? null : values.get(0);
  }

  boolean has(String name) {
    return headers.stream()
        .anyMatch(h -> h.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
  }
}
