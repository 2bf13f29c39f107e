package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.authz.PathPattern;
import dev.oidcgate.oidc.authz.PathPolicy;
import java.util.List;
import java.util.Objects;

/**
 * Different paths under one filter mapping: which are public, what the others demand, and whether
 * CORS preflights pass.
 *
 * @param paths the public paths, the rule checked everywhere ({@code claimsRequired}) and the
 *     per-path rules
 * @param corsPreflight what happens to a CORS preflight ({@code OPTIONS} with {@code Origin} and
 *     {@code Access-Control-Request-Method})
 */
public record PolicySettings(PathPolicy paths, CorsPreflight corsPreflight) {
  public static final OidcSetting<List<PathPattern>> PUBLIC_PATHS =
      OidcSetting.define(
          "publicPaths",
          null,
          "Paths under the context (space- or comma-separated; `*` for any characters, e.g."
              + " `/oidc-route/anything/pub*`) where no login is demanded: the request passes"
              + " anonymously, or as the caller when it carries a good credential.",
          PolicyGrammar::patterns);
  public static final OidcSetting<String> CLAIMS_REQUIRED =
      OidcSetting.define(
          "claimsRequired",
          null,
          "Access rule on every path: space-separated requirements that must all hold, each"
              + " `kind=value,value` (one value suffices), e.g. `email_domain=example.com"
              + " hd=example.com`; see Access rules above.",
          v -> syntaxChecked(v, false));
  public static final OidcSetting<String> PATH_RULES =
      OidcSetting.define(
          "pathRules",
          null,
          "Per-path access rules, one per line (or `;`-separated): `[METHOD,METHOD] /pattern"
              + " requirement...`, e.g. `/admin/* role=admin` or `POST,PUT /api/* scope=write`."
              + " The first line that matches a request applies, on top of the filter-wide rules."
              + " Step-up: `acr_values=...` and `max_age=...` (a duration), checked in the ID"
              + " token's `acr` and `auth_time`; a session short of them logs in again with them.",
          v -> syntaxChecked(v, true));
  public static final OidcSetting<CorsPreflight> CORS_PREFLIGHT =
      OidcSetting.define(
          "corsPreflight",
          "answer",
          "CORS preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`, sent"
              + " without cookies or tokens): `answer` answers them at the filter, 204 with the"
              + " CORS headers for an origin in `corsOrigins` and 403 for any other, and never"
              + " passes them on; `pass` lets them through to the app without a credential (the"
              + " default before 0.1.0's third round); `off` makes them need a credential like any"
              + " request. `true` reads as `answer`, `false` as `off`.",
          CorsPreflight::parse);

  public PolicySettings {
    Objects.requireNonNull(paths);
    Objects.requireNonNull(corsPreflight);
  }

  static PolicySettings from(SettingValues v) {
    PolicyGrammar grammar =
        new PolicyGrammar(
            v.get(AccessSettings.SCOPES_CLAIM),
            v.get(AccessSettings.ROLES_CLAIM),
            v.get(AccessSettings.GROUPS_CLAIM),
            v.get(AccessSettings.AUDIENCE_CLAIM));
    PathPolicy paths =
        new PathPolicy(
            v.optional(PUBLIC_PATHS).orElse(List.of()),
            grammar.requirements(PolicyGrammar.words(v.optional(CLAIMS_REQUIRED).orElse(""))),
            grammar.pathRules(v.optional(PATH_RULES).orElse("")));
    return new PolicySettings(paths, v.get(CORS_PREFLIGHT));
  }

  /** Checks the grammar when the value is read; the claims are bound by {@link #from}. */
  private static String syntaxChecked(String text, boolean pathRules) {
    ClaimPath any = ClaimPath.of("x");
    PolicyGrammar grammar = new PolicyGrammar(any, any, any, any);
    if (pathRules) {
      grammar.pathRules(text);
    } else {
      grammar.requirements(PolicyGrammar.words(text));
    }
    return text;
  }
}
