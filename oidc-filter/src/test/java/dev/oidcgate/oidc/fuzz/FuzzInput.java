package dev.oidcgate.oidc.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the fuzz targets of this package read their {@code byte[]} input, shared with the tests that
 * replay the same corpus over HTTP, so a corpus file means the same thing to both. The layout is
 * small on purpose so that seeds can be written by hand: the first byte chooses a mode, the rest is
 * either UTF-8 text (fields separated by NUL) or edits to a valid value.
 */
record FuzzInput(int mode, byte[] rest) {

  static FuzzInput of(byte[] input, int modes) {
    if (input.length == 0) {
      return new FuzzInput(0, input);
    }
    return new FuzzInput(
        Byte.toUnsignedInt(input[0]) % modes, Arrays.copyOfRange(input, 1, input.length));
  }

  String text() {
    return new String(rest, StandardCharsets.UTF_8);
  }

  /** The text split at NUL; never empty. */
  List<String> fields() {
    return List.of(text().split("\0", -1));
  }

  /** NUL-separated {@code name=value} pairs; the first of a repeated name wins. */
  Map<String, String> pairs() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : fields()) {
      int eq = field.indexOf('=');
      String name = eq < 0 ? field : field.substring(0, eq);
      out.putIfAbsent(name, eq < 0 ? "" : field.substring(eq + 1));
    }
    return out;
  }

  /**
   * Applies the rest as edits to {@code valid}: groups of four bytes, a position (two bytes; with
   * the top bit set it counts from the end, so a seed can aim at the signature whatever the token's
   * length), an operation (replace, insert, delete, swap with the next) and a character (0-255).
   * Any number of groups; a short tail is ignored. The result may equal {@code valid}.
   */
  String mutate(String valid) {
    StringBuilder s = new StringBuilder(valid);
    for (int i = 0; i + 3 < rest.length; i += 4) {
      int pos = (Byte.toUnsignedInt(rest[i]) << 8) | Byte.toUnsignedInt(rest[i + 1]);
      boolean fromEnd = (pos & 0x8000) != 0;
      pos &= 0x7FFF;
      int op = Byte.toUnsignedInt(rest[i + 2]) % 4;
      char c = (char) Byte.toUnsignedInt(rest[i + 3]);
      if (op == 1) {
        int at = fromEnd ? Math.max(0, s.length() - pos) : pos % (s.length() + 1);
        s.insert(at, c);
      } else if (s.length() > 0) {
        int at = fromEnd ? Math.max(0, s.length() - 1 - pos) : pos % s.length();
        switch (op) {
          case 0 -> s.setCharAt(at, c);
          case 2 -> s.deleteCharAt(at);
          default -> {
            if (at + 1 < s.length()) {
              char next = s.charAt(at + 1);
              s.setCharAt(at + 1, s.charAt(at));
              s.setCharAt(at, next);
            }
          }
        }
      }
    }
    return s.toString();
  }

  /** The corpus files of one fuzz test, as the regression run reads them. */
  static List<byte[]> corpus(Class<?> fuzzTest, String method) throws Exception {
    String dir =
        "/" + fuzzTest.getName().replace('.', '/') + "Inputs/" + method; // Jazzer's own layout
    java.net.URL url = fuzzTest.getResource(dir);
    if (url == null) {
      throw new IllegalStateException("no corpus at " + dir);
    }
    List<byte[]> out = new ArrayList<>();
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
      for (java.nio.file.Path f : files.sorted().toList()) {
        out.add(java.nio.file.Files.readAllBytes(f));
      }
    }
    return out;
  }
}
