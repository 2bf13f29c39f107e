package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Entra ID groups overage: a user in more groups than fit in a token gets, instead of {@code
 * groups}, {@code _claim_names: {"groups": ...}} (or {@code hasgroups: true}); with {@code
 * groupsOverage=graph} the filter asks Microsoft Graph for that user's groups.
 *
 * @param graph whether overage is resolved through Microsoft Graph ({@code groupsOverage=graph})
 * @param graphEndpoint Microsoft Graph's base URL, without a trailing {@code /}
 * @param cacheTtl how long one user's groups are reused before Graph is asked again
 */
public record GroupsOverageSettings(boolean graph, URI graphEndpoint, Duration cacheTtl) {
  public static final OidcSetting<Boolean> GROUPS_OVERAGE =
      OidcSetting.define(
          "groupsOverage",
          "off",
          "Entra ID groups overage (a token with `_claim_names` for `groups`, or `hasgroups`,"
              + " instead of `groups`): `off` leaves such a caller without groups; `graph` reads"
              + " the user's groups (by `oid`) from Microsoft Graph with the app's own token"
              + " (client credentials; needs `clientSecret` and the Graph application permissions"
              + " `User.Read.All` and `GroupMember.Read.All`), cached per user; when Graph fails"
              + " the request gets 503. Only for tokens of `issuer`, and of an `additionalIssuers`"
              + " issuer that has a client of its own in `issuerClients` (used for it): another"
              + " issuer is never sent `clientSecret`."
              + " See docs/providers/entra-id.md.",
          v -> SettingParsers.choice(v, new String[] {"off", "graph"}, s -> s).equals("graph"));
  public static final OidcSetting<URI> GRAPH_ENDPOINT =
      OidcSetting.define(
          "graphEndpoint",
          "https://graph.microsoft.com/v1.0",
          "Microsoft Graph's base URL for `groupsOverage=graph` (a national cloud's, e.g."
              + " `https://graph.microsoft.us/v1.0`); the app token is asked for with the scope"
              + " `<its origin>/.default`.",
          GroupsOverageSettings::endpoint);
  public static final OidcSetting<Duration> GROUPS_OVERAGE_CACHE_TTL =
      OidcSetting.define(
          "groupsOverageCacheTtl",
          "10m",
          "How long one user's groups read from Microsoft Graph are reused (at most 10000 users"
              + " are kept); a change of membership is seen after at most this long.",
          SettingParsers::duration);

  public GroupsOverageSettings {
    Objects.requireNonNull(graphEndpoint);
    Objects.requireNonNull(cacheTtl);
  }

  static GroupsOverageSettings from(SettingValues v, ClientSettings client) {
    boolean graph = v.get(GROUPS_OVERAGE);
    if (graph && (client.clientId().isEmpty() || client.clientSecret().isEmpty())) {
      // Graph is read with the app's own token, from the client-credentials grant.
      throw new OidcConfigException(
          GROUPS_OVERAGE.key(), "graph needs clientId and clientSecret (the app's Graph token)");
    }
    return new GroupsOverageSettings(graph, v.get(GRAPH_ENDPOINT), v.get(GROUPS_OVERAGE_CACHE_TTL));
  }

  /** The scope of the app token for Graph: {@code <scheme>://<host>[:port]/.default}. */
  public String graphScope() {
    URI e = graphEndpoint;
    return e.getScheme() + "://" + e.getRawAuthority() + "/.default";
  }

  private static URI endpoint(String text) {
    URI uri = SettingTypes.baseUrl(text);
    if (!uri.getScheme().equals("https") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("write an https URL");
    }
    return uri;
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
  }
}
