package dev.oidcgate.oidc.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which token goes upstream, and for which target: {@code caller} (the caller's own access token,
 * the default), {@code exchange} (RFC 8693: the caller's token exchanged at the token endpoint for
 * one meant for {@code audience}/{@code resources}/{@code scopes}), {@code client} (the app's own
 * client-credentials token for that target) or {@code none}. Written filter-wide ({@code
 * upstreamToken}, {@code upstreamAudience}, {@code upstreamResource}, {@code upstreamScope}) or on
 * a {@code pathRules} line ({@code upstream_token=}, {@code upstream_audience=}, {@code
 * upstream_resource=}, {@code upstream_scope=}); what a line leaves out it takes from the
 * filter-wide keys. Immutable; equal targets are one cache entry.
 *
 * @param kind which token; null on a line that takes the filter-wide kind
 * @param audience RFC 8693 {@code audience} values (for {@code client}: Auth0's {@code audience})
 * @param resources RFC 8707 {@code resource} values, absolute URIs
 * @param scopes the scope values asked for
 */
public record UpstreamToken(
    @Nullable Kind kind, List<String> audience, List<String> resources, List<String> scopes) {

  /** Which token goes upstream. */
  public enum Kind {
    CALLER,
    EXCHANGE,
    CLIENT,
    NONE;

    /**
     * @throws IllegalArgumentException for anything but caller, exchange, client or none
     */
    public static Kind parse(String text) {
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "caller":
          return CALLER;
        case "exchange":
          return EXCHANGE;
        case "client":
          return CLIENT;
        case "none":
          return NONE;
        default:
          throw new IllegalArgumentException("write caller, exchange, client or none");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A {@code pathRules} line that says nothing about the upstream token. */
  public static final UpstreamToken INHERIT =
      new UpstreamToken(null, List.of(), List.of(), List.of());

  /** Today's behaviour: the caller's own token. */
  public static final UpstreamToken CALLER =
      new UpstreamToken(Kind.CALLER, List.of(), List.of(), List.of());

  public UpstreamToken {
    audience = List.copyOf(new LinkedHashSet<>(audience));
    resources = List.copyOf(new LinkedHashSet<>(resources));
    scopes = List.copyOf(new LinkedHashSet<>(scopes));
    for (String r : resources) {
      requireResource(r);
    }
  }

  /** This line's choice, what it leaves out taken from the filter-wide {@code defaults}. */
  public UpstreamToken over(UpstreamToken defaults) {
    return new UpstreamToken(
        kind != null ? kind : defaults.kind,
        audience.isEmpty() ? defaults.audience : audience,
        resources.isEmpty() ? defaults.resources : resources,
        scopes.isEmpty() ? defaults.scopes : scopes);
  }

  /** The kind, {@code caller} when none is set. */
  public Kind kindOrCaller() {
    return kind == null ? Kind.CALLER : kind;
  }

  /** Whether this is anything but the caller's own token. */
  public boolean replacesCallerToken() {
    return kindOrCaller() != Kind.CALLER;
  }

  /** The resources as URIs (checked when this was made). */
  List<URI> resourceUris() {
    List<URI> out = new ArrayList<>();
    for (String r : resources) {
      out.add(URI.create(r));
    }
    return out;
  }

  /** RFC 8707 §2: an absolute URI without a fragment. */
  private static void requireResource(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("a resource must be an absolute URI: " + text);
    }
    if (!uri.isAbsolute() || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          "a resource must be an absolute URI without a fragment: " + text);
    }
  }

  @Override
  public String toString() {
    return "upstream_token="
        + kindOrCaller()
        + (audience.isEmpty() ? "" : " upstream_audience=" + String.join(",", audience))
        + (resources.isEmpty() ? "" : " upstream_resource=" + String.join(",", resources))
        + (scopes.isEmpty() ? "" : " upstream_scope=" + String.join(",", scopes));
  }
}
