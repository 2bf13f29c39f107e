package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.time.Duration;
import java.util.Objects;

/**
 * How the filter, as a resource server, treats DPoP-bound access tokens (RFC 9449): tokens sent
 * with {@code Authorization: DPoP} and a {@code DPoP} proof, and tokens whose {@code cnf.jkt} binds
 * them to a key.
 *
 * @param mode whether DPoP-bound tokens are accepted, required or refused
 * @param proofMaxAge how old a proof's {@code iat} may be (plus {@code clockSkew}); also how long
 *     its {@code jti} is remembered against replay
 * @param nonce whether the filter hands out server nonces ({@code DPoP-Nonce}) and requires one
 */
public record DpopTokenSettings(DpopTokens mode, Duration proofMaxAge, boolean nonce) {

  /** What the filter does with DPoP. */
  public enum DpopTokens {
    /**
     * A token bound by {@code cnf.jkt} passes only with a valid proof; bearer tokens still pass.
     */
    ACCEPT("accept"),
    /** Only DPoP-bound tokens with a valid proof pass; plain bearer tokens are refused. */
    REQUIRE("require"),
    /** The {@code DPoP} scheme is refused, and so is every token bound by {@code cnf.jkt}. */
    REFUSE("refuse");

    private final String text;

    DpopTokens(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public static final OidcSetting<DpopTokens> DPOP_TOKENS =
      OidcSetting.define(
          "dpopTokens",
          "accept",
          "DPoP-bound access tokens from callers (RFC 9449): `accept` (a token whose `cnf.jkt` is"
              + " set passes only as `Authorization: DPoP` with a valid `DPoP` proof; plain bearer"
              + " tokens still pass), `require` (only DPoP-bound tokens with proofs), `refuse` (the"
              + " `DPoP` scheme and bound tokens are refused).",
          v -> SettingParsers.choice(v, DpopTokens.values(), DpopTokens::text));
  public static final OidcSetting<Duration> DPOP_PROOF_MAX_AGE =
      OidcSetting.define(
          "dpopProofMaxAge",
          "60s",
          "A DPoP proof whose `iat` is older than this (or further ahead than `clockSkew`) is"
              + " refused; its `jti` is remembered this long (plus `clockSkew`) against replay, in"
              + " Redis when `redisUri` is set.",
          SettingParsers::duration);
  public static final OidcSetting<Boolean> DPOP_NONCE =
      OidcSetting.define(
          "dpopNonce",
          "off",
          "`on`: DPoP proofs must carry a server nonce; a proof without a current one gets 401"
              + " `use_dpop_nonce` with a fresh `DPoP-Nonce` header (nonces are shared through"
              + " Redis when `redisUri` is set). `off`: no nonces.",
          v -> SettingParsers.choice(v, new String[] {"off", "on"}, s -> s).equals("on"));

  public DpopTokenSettings {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(proofMaxAge);
    if (proofMaxAge.isZero() || proofMaxAge.isNegative()) {
      throw new OidcConfigException(DPOP_PROOF_MAX_AGE.key(), "must be more than 0");
    }
  }

  static DpopTokenSettings from(SettingValues v) {
    return new DpopTokenSettings(v.get(DPOP_TOKENS), v.get(DPOP_PROOF_MAX_AGE), v.get(DPOP_NONCE));
  }

  /** Whether callers may present DPoP proofs at all. */
  public boolean accepted() {
    return mode != DpopTokens.REFUSE;
  }
}
