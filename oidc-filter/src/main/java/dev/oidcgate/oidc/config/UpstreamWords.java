package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.upstream.UpstreamToken;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The words of a {@code pathRules} line that choose the upstream token: {@code
 * upstream_token=caller|exchange|client|none}, {@code upstream_audience=a,b}, {@code
 * upstream_resource=https://...,...}, {@code upstream_scope=read,write}. A line without them keeps
 * the filter-wide {@code upstreamToken}; what it leaves out comes from the filter-wide keys.
 */
final class UpstreamWords {

  static final String WORDS =
      "upstream_token=caller|exchange|client|none, upstream_audience=, upstream_resource=,"
          + " upstream_scope=";

  private UpstreamWords() {}

  /** Removes the upstream words from {@code words} and returns what they say. */
  static UpstreamToken take(List<String> words) {
    UpstreamToken.Kind kind = null;
    List<String> audience = new ArrayList<>();
    List<String> resources = new ArrayList<>();
    List<String> scopes = new ArrayList<>();
    boolean any = false;
    for (Iterator<String> it = words.iterator(); it.hasNext(); ) {
      String word = it.next();
      if (word.startsWith("upstream_token=")) {
        kind = UpstreamToken.Kind.parse(word.substring("upstream_token=".length()));
      } else if (word.startsWith("upstream_audience=")) {
        audience.addAll(values(word));
      } else if (word.startsWith("upstream_resource=")) {
        resources.addAll(values(word));
      } else if (word.startsWith("upstream_scope=")) {
        scopes.addAll(values(word));
      } else {
        continue;
      }
      any = true;
      it.remove();
    }
    return any ? new UpstreamToken(kind, audience, resources, scopes) : UpstreamToken.INHERIT;
  }

  private static List<String> values(String word) {
    int eq = word.indexOf('=');
    List<String> out = new ArrayList<>();
    for (String v : word.substring(eq + 1).split(",")) {
      if (!v.isEmpty()) {
        out.add(v);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "name at least one value after " + word.substring(0, eq + 1));
    }
    return out;
  }
}
