package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.authz.ClaimEquals;
import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.authz.EmailDomain;
import dev.oidcgate.oidc.authz.PathPattern;
import dev.oidcgate.oidc.authz.PathRule;
import dev.oidcgate.oidc.authz.RequiredValues;
import dev.oidcgate.oidc.authz.StepUp;
import dev.oidcgate.oidc.upstream.UpstreamToken;
import dev.oidcgate.settings.SettingParsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads requirements as written in {@code claimsRequired} and {@code pathRules}: space-separated
 * words that must all hold, each {@code kind=value,value} where one of the comma-separated values
 * suffices: {@code scope}, {@code role}, {@code group}, {@code audience} (read from the configured
 * claims), {@code claim:<name>} (a claim equal to a value), {@code hd}, {@code acr}, {@code
 * email_domain}, and the bare word {@code email_verified}. Immutable.
 */
final class PolicyGrammar {

  static final String WORDS =
      "scope=, role=, group=, audience=, claim:<name>=, hd=, acr=, email_domain=, email_verified"
          + " (and in pathRules acr_values=, max_age=, issuer=, anti_forgery=, "
          + UpstreamWords.WORDS
          + ")";

  private final ClaimPath scopes;
  private final ClaimPath roles;
  private final ClaimPath groups;
  private final ClaimPath audience;

  PolicyGrammar(ClaimPath scopes, ClaimPath roles, ClaimPath groups, ClaimPath audience) {
    this.scopes = scopes;
    this.roles = roles;
    this.groups = groups;
    this.audience = audience;
  }

  /** Requirements that must all hold; none allows every authenticated caller. */
  AccessRule requirements(List<String> words) {
    AccessRule rule = AccessRule.ALLOW_AUTHENTICATED;
    for (String word : words) {
      rule = rule.and(requirement(word));
    }
    return rule;
  }

  /** One line of {@code pathRules}: {@code [METHOD,METHOD] /pattern requirement...}. */
  PathRule pathRule(String line) {
    List<String> words = new ArrayList<>(List.of(line.trim().split("\\s+")));
    Set<String> methods = Set.of();
    if (!words.isEmpty() && words.get(0).matches("[A-Z]+(,[A-Z]+)*")) {
      methods = Set.of(words.remove(0).split(","));
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException(
          "write [METHOD] /path requirement..., e.g. /admin/* role=admin");
    }
    PathPattern pattern = PathPattern.of(words.remove(0));
    UpstreamToken upstream = UpstreamWords.take(words);
    Set<String> acrValues = new LinkedHashSet<>();
    Set<String> issuers = new LinkedHashSet<>();
    Duration maxAge = null;
    for (java.util.Iterator<String> it = words.iterator(); it.hasNext(); ) {
      String word = it.next();
      if (word.startsWith("acr_values=")) {
        acrValues.addAll(values(word));
        it.remove();
      } else if (word.startsWith("max_age=")) {
        maxAge = SettingParsers.duration(word.substring("max_age=".length()));
        it.remove();
      } else if (word.startsWith("issuer=")) {
        issuers.addAll(values(word)); // names resolved at start-up, by IssuerNames
        it.remove();
      } else if (word.startsWith(ANTI_FORGERY)) {
        antiForgery(word); // checked here, read from the line's text by PolicySettings
        it.remove();
      }
    }
    return new PathRule(
        methods,
        pattern,
        requirements(words),
        new StepUp(acrValues, maxAge),
        issuers,
        line.trim(),
        upstream);
  }

  /** The word of a pathRules line that turns {@code antiForgeryHeader} on or off for it. */
  static final String ANTI_FORGERY = "anti_forgery=";

  /** {@code anti_forgery=on} or {@code anti_forgery=off}. */
  static boolean antiForgery(String word) {
    switch (word.substring(ANTI_FORGERY.length())) {
      case "on":
        return true;
      case "off":
        return false;
      default:
        throw new IllegalArgumentException("write anti_forgery=on or anti_forgery=off");
    }
  }

  List<PathRule> pathRules(String text) {
    List<PathRule> out = new ArrayList<>();
    for (String line : text.split("[;\\n\\r]")) {
      if (!line.isBlank()) {
        out.add(pathRule(line));
      }
    }
    return List.copyOf(out);
  }

  private AccessRule requirement(String word) {
    if (word.equals("email_verified")) {
      return new ClaimEquals(ClaimPath.of("email_verified"), Set.of("true"));
    }
    int eq = word.indexOf('=');
    if (eq <= 0 || eq == word.length() - 1) {
      throw new IllegalArgumentException("unknown requirement " + word + "; write one of " + WORDS);
    }
    String kind = word.substring(0, eq);
    Set<String> values = values(word);
    switch (kind) {
      case "scope":
        return anyOf("scope", scopes, values);
      case "role":
        return anyOf("role", roles, values);
      case "group":
        return anyOf("group", groups, values);
      case "audience":
        return anyOf("audience", audience, values);
      case "hd":
        return new ClaimEquals(ClaimPath.of("hd"), values);
      case "acr":
        return new ClaimEquals(ClaimPath.of("acr"), values);
      case "email_domain":
        return new EmailDomain(values);
      case "issuer":
        throw new IllegalArgumentException(
            "issuer= names the issuers of one pathRules line; for the filter-wide rules set"
                + " ruleIssuers");
      default:
        if (kind.startsWith("claim:")) {
          return new ClaimEquals(ClaimPath.of(kind.substring("claim:".length())), values);
        }
        throw new IllegalArgumentException(
            "unknown requirement " + kind + "; write one of " + WORDS);
    }
  }

  private static Set<String> values(String word) {
    int eq = word.indexOf('=');
    Set<String> values = new LinkedHashSet<>(List.of(word.substring(eq + 1).split(",")));
    values.remove("");
    if (values.isEmpty()) {
      throw new IllegalArgumentException(
          "name at least one value after " + word.substring(0, eq + 1));
    }
    return values;
  }

  private static AccessRule anyOf(String what, ClaimPath claim, Set<String> values) {
    List<Set<String>> alternatives = new ArrayList<>();
    for (String v : values) {
      alternatives.add(Set.of(v));
    }
    return new RequiredValues(what, claim, alternatives);
  }

  /** Requirement words: separated by whitespace only, as a comma separates values inside one. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  static List<PathPattern> patterns(String text) {
    List<PathPattern> out = new ArrayList<>();
    for (String p : SettingParsers.words(text)) {
      out.add(PathPattern.of(p));
    }
    return List.copyOf(out);
  }
}
