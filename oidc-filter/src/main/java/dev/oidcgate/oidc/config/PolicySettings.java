package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.authz.PathCase;
import dev.oidcgate.oidc.authz.PathPattern;
import dev.oidcgate.oidc.authz.PathPolicy;
import dev.oidcgate.oidc.authz.PathRule;
import dev.oidcgate.settings.SettingParsers;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Different paths under one filter mapping: which are public, what the others demand, whether CORS
 * preflights pass, and which methods a request is checked as.
 *
 * @param paths the public paths, the rule checked everywhere ({@code claimsRequired}) and the
 *     per-path rules
 * @param corsPreflight what happens to a CORS preflight ({@code OPTIONS} with {@code Origin} and
 *     {@code Access-Control-Request-Method})
 * @param methodOverride whether method-override headers are stripped, or passed and checked
 * @param ruleIssuers the issuers the filter-wide rules and {@code pathRules} lines without {@code
 *     issuer=} admit, as written ({@link IssuerNames} resolves them); empty for {@code issuer}'s
 * @param filterWideRules whether any filter-wide rule is configured ({@code scopesRequired}, {@code
 *     audienceRequired}, {@code groupsRequired}, {@code rolesRequired}, {@code claimsRequired})
 * @param antiForgeryHeader the header a session-cookie request with an unsafe method must carry;
 *     empty: no such check
 */
public record PolicySettings(
    PathPolicy paths,
    CorsPreflight corsPreflight,
    MethodOverrideHeaders methodOverride,
    List<String> ruleIssuers,
    boolean filterWideRules,
    Optional<String> antiForgeryHeader) {
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
              + " token's `acr` and `auth_time`; a session short of them logs in again with them."
              + " `issuer=name,...` (or `any`): the issuers whose callers the line admits; default"
              + " `ruleIssuers`.",
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

  public static final OidcSetting<PathCase> PATH_MATCH_CASE =
      OidcSetting.define(
          "pathMatchCase",
          "insensitive",
          "How `pathRules` compare paths: `insensitive` (a rule covers every case variant of its"
              + " pattern: `/admin/*` covers `/ADMIN/users`, as upstreams that route"
              + " case-insensitively read it) or `sensitive`. `publicPaths` always compare exactly,"
              + " case included.",
          v -> SettingParsers.choice(v, PathCase.values(), PathCase::text));
  public static final OidcSetting<MethodOverrideHeaders> METHOD_OVERRIDE_HEADERS =
      OidcSetting.define(
          "methodOverrideHeaders",
          "strip",
          "`X-HTTP-Method-Override`, `X-HTTP-Method` and `X-Method-Override` (any spelling):"
              + " `strip` removes them before the app and upstream see the request; `allow` passes"
              + " them on and matches `pathRules` against the method they name too, and both lines"
              + " must pass.",
          v ->
              SettingParsers.choice(
                  v, MethodOverrideHeaders.values(), MethodOverrideHeaders::text));

  public static final OidcSetting<List<String>> RULE_ISSUERS =
      OidcSetting.define(
          "ruleIssuers",
          null,
          "The issuers whose callers the filter-wide rules (`scopesRequired`, `audienceRequired`,"
              + " `groupsRequired`, `rolesRequired`, `claimsRequired`) and the `pathRules` lines"
              + " without `issuer=` admit: comma-separated `issuerClients` names or issuer URLs"
              + " (`issuer`, `additionalIssuers`), or `any`. Default: `issuer`'s callers alone;"
              + " another issuer's caller gets 403 where such a rule applies.",
          SettingParsers::words);

  public static final OidcSetting<String> ANTI_FORGERY_HEADER =
      OidcSetting.define(
          "antiForgeryHeader",
          null,
          "A header (e.g. `X-CSRF`, any value) that a request authenticated by the session cookie"
              + " must carry when its method is not `GET`, `HEAD` or `OPTIONS`, else 403: a"
              + " cross-site form cannot send it, a cross-site script not without a CORS preflight"
              + " (`corsOrigins`). Bearer-token requests are not affected. `anti_forgery=off` in a"
              + " `pathRules` line exempts its requests. Unset: off.",
          SettingTypes::headerName);

  public PolicySettings {
    Objects.requireNonNull(paths);
    Objects.requireNonNull(corsPreflight);
    Objects.requireNonNull(methodOverride);
    ruleIssuers = List.copyOf(ruleIssuers);
    Objects.requireNonNull(antiForgeryHeader);
  }

  /**
   * What a {@code pathRules} line says about {@code antiForgeryHeader}: {@code anti_forgery=on} or
   * {@code off}; empty when it says nothing (then the header is needed wherever it is set).
   */
  public static Optional<Boolean> antiForgeryAt(PathRule rule) {
    Optional<Boolean> out = Optional.empty();
    for (String word : PolicyGrammar.words(rule.text())) {
      if (word.startsWith(PolicyGrammar.ANTI_FORGERY)) {
        out = Optional.of(PolicyGrammar.antiForgery(word));
      }
    }
    return out;
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
            grammar.pathRules(v.optional(PATH_RULES).orElse("")),
            v.get(PATH_MATCH_CASE));
    boolean filterWideRules =
        v.optional(CLAIMS_REQUIRED).map(r -> !PolicyGrammar.words(r).isEmpty()).orElse(false)
            || isSet(v, AccessSettings.SCOPES_REQUIRED)
            || isSet(v, AccessSettings.AUDIENCE_REQUIRED)
            || isSet(v, AccessSettings.GROUPS_REQUIRED)
            || isSet(v, AccessSettings.ROLES_REQUIRED);
    Optional<String> antiForgeryHeader = v.optional(ANTI_FORGERY_HEADER).filter(h -> !h.isEmpty());
    if (antiForgeryHeader.isEmpty()
        && paths.rules().stream().anyMatch(r -> antiForgeryAt(r).isPresent())) {
      throw new OidcConfigException(
          PATH_RULES.key(), "anti_forgery= needs antiForgeryHeader (the header to ask for)");
    }
    return new PolicySettings(
        paths,
        v.get(CORS_PREFLIGHT),
        v.get(METHOD_OVERRIDE_HEADERS),
        v.optional(RULE_ISSUERS).orElse(List.of()),
        filterWideRules,
        antiForgeryHeader);
  }

  private static boolean isSet(SettingValues v, OidcSetting<List<Set<String>>> rule) {
    return v.optional(rule).map(alternatives -> !alternatives.isEmpty()).orElse(false);
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
