package dev.oidcgate.oidc;

import com.nimbusds.jwt.JWTParser;
import dev.oidcgate.oidc.config.ClientSettings;
import dev.oidcgate.oidc.config.IssuerClient;
import dev.oidcgate.oidc.config.IssuerNames;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.token.LogoutTokenVerifier;
import dev.oidcgate.oidc.web.ScriptEndpoints;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The gate of {@code issuer} and one gate per {@code additionalIssuers} entry, each with its own
 * discovery, keys and token cache. A bearer token goes to the gate its (unverified) {@code iss}
 * names, where it is then verified; any other token, opaque ones included, goes to the main gate,
 * which refuses a foreign issuer. So a key of one issuer never verifies a token claiming another,
 * and an issuer not on the list has no keys at all.
 *
 * <p>An additional issuer named in {@code issuerClients} also logs browsers in, with its own
 * client, login cookies sealed for it and a session cookie of its own: a session is found by the
 * gate that sealed it, so it is refreshed, checked and ended at its own issuer. Thread-safe.
 */
public final class IssuerGates implements AutoCloseable {

  /** A session and the gate of the issuer it was made at. */
  public record Signed(OidcGate gate, OidcSession session) {}

  private final OidcGate main;
  private final Map<String, OidcGate> additional;
  private final Map<String, OidcGate> byLoginName;
  private final List<OidcGate> withLogin;
  private final ScriptEndpoints.NamedLogins namedLogins;

  private IssuerGates(
      OidcGate main, Map<String, OidcGate> additional, Map<String, OidcGate> byLoginName) {
    this.main = main;
    this.additional = Map.copyOf(additional);
    this.byLoginName = Map.copyOf(byLoginName);
    List<OidcGate> logins = new ArrayList<>();
    logins.add(main);
    additional.values().stream().filter(g -> g.login().isPresent()).forEach(logins::add);
    this.withLogin = List.copyOf(logins);
    this.namedLogins =
        byLoginName.isEmpty()
            ? ScriptEndpoints.NamedLogins.NONE
            : name -> Optional.ofNullable(this.byLoginName.get(name)).flatMap(OidcGate::login);
  }

  /** Starts the main gate, then one per additional issuer (an unreachable one does not stop it). */
  static IssuerGates start(OidcConfig config) {
    IssuerNames.of(config); // the issuers the rules name, checked before anything starts
    OidcGate main = OidcGate.start(config);
    Map<String, OidcGate> additional = new LinkedHashMap<>();
    Map<String, OidcGate> byName = new LinkedHashMap<>();
    try {
      Map<String, IssuerClient> clients = clientsByIssuer(main.config());
      if (clients.containsKey(main.config().provider().issuer().issuer())) {
        byName.put(clients.get(main.config().provider().issuer().issuer()).name(), main);
      }
      for (IssuerLocation issuer : main.config().provider().additionalIssuers()) {
        Optional<IssuerClient> login = Optional.ofNullable(clients.get(issuer.issuer()));
        OidcGate gate = OidcGate.start(main.config().forAdditionalIssuer(issuer, login), true);
        additional.put(issuer.issuer(), gate);
        if (login.isPresent() && gate.login().isEmpty()) {
          throw new OidcConfigException(
              ClientSettings.ISSUER_CLIENTS.key(),
              "'" + login.get().name() + "' has no client secret: add its clientId and secret");
        }
        login.ifPresent(l -> byName.put(l.name(), gate));
      }
    } catch (RuntimeException e) {
      additional.values().forEach(OidcGate::close);
      main.close();
      throw e;
    }
    return new IssuerGates(main, additional, byName);
  }

  /** {@code issuerClients} by issuer, each checked against {@code issuer} and the allow-list. */
  private static Map<String, IssuerClient> clientsByIssuer(OidcConfig config) {
    String mainIssuer = config.provider().issuer().issuer();
    Map<String, IssuerClient> out = new LinkedHashMap<>();
    for (IssuerClient c : config.client().issuerClients()) {
      String issuer = c.issuer().issuer();
      boolean listed =
          config.provider().additionalIssuers().stream().anyMatch(i -> i.issuer().equals(issuer));
      if (!listed && !issuer.equals(mainIssuer)) {
        throw new OidcConfigException(
            ClientSettings.ISSUER_CLIENTS.key(),
            "'" + c.name() + "' names an issuer that is neither issuer nor in additionalIssuers");
      }
      if (issuer.equals(mainIssuer) && c.clientId().isPresent()) {
        throw new OidcConfigException(
            ClientSettings.ISSUER_CLIENTS.key(),
            "'"
                + c.name()
                + "' is issuer, whose client is clientId and clientSecret: write"
                + " name=issuer alone");
      }
      if (!config.login().enabled() && !issuer.equals(mainIssuer)) {
        throw new OidcConfigException(
            ClientSettings.ISSUER_CLIENTS.key(), "needs login (session credentials) to be on");
      }
      out.put(issuer, c);
    }
    return out;
  }

  public OidcGate main() {
    return main;
  }

  /** The gate that verifies this bearer token. */
  public OidcGate forBearer(String token) {
    if (additional.isEmpty()) {
      return main;
    }
    try {
      Object iss = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
      OidcGate gate = iss == null ? null : additional.get(iss);
      return gate != null ? gate : main;
    } catch (ParseException e) {
      return main; // not a JWT: the main gate introspects it or refuses it
    }
  }

  /**
   * The gate a login started by this request goes to: the one {@code loginIssuerParameter} names,
   * else the main one; empty when the person is to choose ({@code loginIssuerChooser}).
   *
   * @throws OidcErrorException 400 when the parameter names no issuer of {@code issuerClients}
   */
  public Optional<OidcGate> forLogin(HttpServletRequest request) throws OidcErrorException {
    if (byLoginName.isEmpty()) {
      return Optional.of(main);
    }
    String name = request.getParameter(main.config().client().loginIssuerParameter());
    if (name == null) {
      return main.config().client().loginIssuerChooser() ? Optional.empty() : Optional.of(main);
    }
    OidcGate gate = byLoginName.get(name);
    if (gate == null) {
      throw OidcErrors.invalidRequest("The login names an issuer this application does not allow");
    }
    return Optional.of(gate);
  }

  /** The login flows of {@code issuerClients} by name; {@code NONE} without the setting. */
  public ScriptEndpoints.NamedLogins namedLogins() {
    return namedLogins;
  }

  /** The names a person may choose, with their issuers, in the order configured. */
  public Map<String, String> loginChoices() {
    Map<String, String> out = new LinkedHashMap<>();
    for (IssuerClient c : main.config().client().issuerClients()) {
      out.put(c.name(), c.issuer().issuer());
    }
    return out;
  }

  /**
   * The login flows with a callback of their own, by name: each {@code issuerClients} issuer but
   * {@code issuer}, whose login keeps {@code redirectUri}.
   */
  public Map<LoginFlow, String> callbackNames() {
    Map<LoginFlow, String> out = new IdentityHashMap<>();
    byLoginName.forEach(
        (name, gate) -> {
          if (gate != main) {
            gate.login().ifPresent(l -> out.put(l, name));
          }
        });
    return out;
  }

  /**
   * The gate whose login this callback finishes: the one whose callback it {@code arrived} at,
   * which then finds the login by this browser's login cookie for {@code state}. A response for a
   * login started at another issuer is refused here, before any token request: sent back to another
   * issuer's redirect URI, it is a mix-up (RFC 9700 section 4.4), where a malicious issuer had the
   * browser take its login to an honest one, to have that issuer's code sent to it.
   *
   * @throws OidcErrorException 400 when another issuer's login holds {@code state}
   */
  public OidcGate forCallback(LoginFlow arrived, @Nullable String state, SessionCookies cookies)
      throws OidcErrorException {
    OidcGate at = main;
    for (OidcGate gate : withLogin) {
      if (gate.login().orElse(null) == arrived) {
        at = gate;
      }
    }
    if (!arrived.holds(state, cookies)) {
      for (OidcGate gate : withLogin) {
        if (gate != at && gate.login().isPresent() && gate.login().get().holds(state, cookies)) {
          throw OidcErrors.invalidRequest(
              "The login response came back at another issuer's redirect URI");
        }
      }
    }
    return at;
  }

  /** The browser's current session (timeouts applied, refreshed when due) and its gate. */
  public Optional<Signed> current(SessionCookies cookies) throws OidcErrorException {
    for (OidcGate gate : withLogin) {
      if (gate.login().isPresent()) {
        Optional<OidcSession> s = gate.login().get().sessions().current(cookies);
        if (s.isPresent()) {
          return Optional.of(new Signed(gate, s.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** The browser's stored session (for logout) and its gate; no refresh. */
  public Optional<Signed> stored(SessionCookies cookies) throws OidcErrorException {
    for (OidcGate gate : withLogin) {
      if (gate.login().isPresent()) {
        Optional<OidcSession> s = gate.login().get().sessions().stored(cookies);
        if (s.isPresent()) {
          return Optional.of(new Signed(gate, s.get()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Ends the browser's sessions at other issuers than {@code kept}'s: after a login a browser has
   * one session, so the login it just made is the one that counts.
   */
  public void endSessionsBesides(OidcGate kept, SessionCookies cookies) throws OidcErrorException {
    for (OidcGate gate : withLogin) {
      if (gate != kept && gate.login().isPresent()) {
        Optional<OidcSession> s = gate.login().get().sessions().stored(cookies);
        if (s.isPresent()) {
          gate.login().get().sessions().end(s.get(), cookies);
        }
      }
    }
  }

  /**
   * The gate that logs browsers in at this issuer ({@code issuer} or one of {@code issuerClients}).
   */
  public Optional<OidcGate> withLoginAt(String issuer) {
    for (OidcGate gate : withLogin) {
      if (gate.login().isPresent() && gate.issuer().equals(issuer)) {
        return Optional.of(gate);
      }
    }
    return Optional.empty();
  }

  /** The issuers whose sessions this filter keeps. */
  public List<String> loginIssuers() {
    List<String> out = new ArrayList<>();
    for (OidcGate gate : withLogin) {
      if (gate.login().isPresent()) {
        out.add(gate.issuer());
      }
    }
    return out;
  }

  /**
   * Back-channel logout at the issuer the token names: {@code issuer}, or one of {@code
   * issuerClients}, whose verifier then checks it with that issuer's keys and client id. A token
   * naming any other issuer is refused here, before any key of any issuer is fetched.
   *
   * @throws OidcErrorException 400 for a token refused, 503 when the shared state is down
   */
  public void backchannelLogout(String logoutToken) throws OidcErrorException {
    String iss = null;
    if (logoutToken != null && logoutToken.length() <= LogoutTokenVerifier.MAX_LENGTH) {
      try {
        iss = JWTParser.parse(logoutToken).getJWTClaimsSet().getIssuer();
      } catch (ParseException | RuntimeException e) {
        iss = null;
      }
    }
    OidcGate gate =
        iss == null || iss.equals(main.config().provider().issuer().issuer())
            ? main // it refuses a malformed token with the reason
            : additional.get(iss);
    if (gate == null || gate.backchannelLogout().isEmpty()) {
      throw OidcErrors.invalidRequest("Logout token refused: from an issuer not allowed here");
    }
    gate.backchannelLogout().get().handle(logoutToken);
  }

  @Override
  public void close() {
    additional.values().forEach(OidcGate::close);
    main.close();
  }
}
