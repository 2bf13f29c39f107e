package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.identity.IdentityHeaders;
import dev.oidcgate.oidc.identity.OidcPrincipal;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The request as the app and the upstream see it: client-sent headers with a name the filter sets
 * (or one of {@code strippedHeaders}) are gone, and so is a client-sent {@code Authorization},
 * whether or not a caller was found: it is unverified (a preflight, a failed credential on a public
 * path, another scheme with {@code pass}), and an upstream reading {@code
 * upstreamAccessTokenHeader} would take it for a token the filter checked. Once a caller is known,
 * the identity headers and principal are the filter's: only a token the filter verified and chose
 * to pass on goes further. {@code Connection} never names a header the filter set or {@code
 * Authorization}, so a proxy behind cannot be made to drop them. A client's {@code DPoP} proof is
 * hidden too: it is for this request to the filter, never for an upstream. The query parameter a
 * bearer token may come in ({@code bearerTokenQueryParameter}) is gone from the query string and
 * the parameters.
 */
public final class IdentityRequest extends HttpServletRequestWrapper {

  /**
   * The request attribute holding the verified claims as an unmodifiable {@code Map<String,
   * Object>}.
   */
  public static final String CLAIMS_ATTRIBUTE = "dev.oidcgate.oidc.claims";

  /**
   * The request attribute holding, for a session whose access token is DPoP-bound ({@code
   * dpop=on}), a {@code java.util.function.BiFunction<String, java.net.URI, String>} that makes a
   * fresh DPoP proof (RFC 9449) for a request with that method to that URL, carrying the session's
   * access token ({@code ath}). The proxy servlet uses it for the upstream request; an app calling
   * a resource server itself may too. The private key stays inside the function.
   */
  public static final String DPOP_PROOF_ATTRIBUTE = Caller.DPOP_PROOF_ATTRIBUTE;

  private final IdentityHeaders managed;
  private final OwnCookies ownCookies;
  private final HiddenQueryParameter tokenParameter;
  private final Map<String, String> added;
  private final @Nullable OidcPrincipal principal;

  private IdentityRequest(
      HttpServletRequest request,
      IdentityHeaders managed,
      OwnCookies ownCookies,
      HiddenQueryParameter tokenParameter,
      @Nullable Caller caller) {
    super(request);
    this.managed = managed;
    this.ownCookies = ownCookies;
    this.tokenParameter = tokenParameter;
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (caller != null) {
      headers.putAll(caller.headers());
      request.setAttribute(CLAIMS_ATTRIBUTE, caller.principal().claims());
      caller.attributes().forEach(request::setAttribute);
    }
    this.added = headers;
    this.principal = caller == null ? null : caller.principal();
  }

  /**
   * Whether a header the client sent with this name is hidden from the app. A client's {@code DPoP}
   * proof (RFC 9449) is one: it was made for this request to this filter, and must not reach an
   * upstream as if it vouched for the request the proxy makes there.
   */
  private boolean hidden(String name) {
    return managed.isManaged(name)
        || name.equalsIgnoreCase("Authorization")
        || name.equalsIgnoreCase("DPoP")
        || added.containsKey(name);
  }

  /** The Connection values without the names of headers that must reach the next hop. */
  private List<String> connectionHeaders() {
    List<String> out = new ArrayList<>();
    for (String header : Collections.list(super.getHeaders("Connection"))) {
      StringBuilder kept = new StringBuilder();
      for (String token : header.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !name.equalsIgnoreCase("Authorization") && !hidden(name)) {
          kept.append(kept.length() == 0 ? "" : ", ").append(name);
        }
      }
      if (kept.length() > 0) {
        out.add(kept.toString());
      }
    }
    return out;
  }

  /**
   * The request with every client-sent header that the filter manages removed, {@code
   * Authorization} too, and the filter's own cookies (session and login) hidden: they are
   * credentials for this filter, not for the app or an upstream behind a proxy. So is the query
   * parameter a bearer token may come in.
   *
   * @param tokenParameter {@code bearerTokenQueryParameter}; empty for none
   */
  public static IdentityRequest stripped(
      HttpServletRequest request,
      IdentityHeaders managed,
      OwnCookies ownCookies,
      Optional<String> tokenParameter) {
    return new IdentityRequest(
        request, managed, ownCookies, HiddenQueryParameter.of(tokenParameter), null);
  }

  /** This request as seen by the app once {@code caller} is authenticated. */
  public IdentityRequest authenticated(Caller caller) {
    return new IdentityRequest(
        (HttpServletRequest) getRequest(), managed, ownCookies, tokenParameter, caller);
  }

  @Override
  public @Nullable String getQueryString() {
    return tokenParameter.without(super.getQueryString());
  }

  @Override
  public @Nullable String getParameter(String name) {
    return tokenParameter.hides(name) ? null : super.getParameter(name);
  }

  @Override
  public String @Nullable [] getParameterValues(String name) {
    return tokenParameter.hides(name) ? null : super.getParameterValues(name);
  }

  @Override
  public Enumeration<String> getParameterNames() {
    List<String> names = Collections.list(super.getParameterNames());
    names.removeIf(tokenParameter::hides);
    return Collections.enumeration(names);
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    Map<String, String[]> all = super.getParameterMap();
    if (all.keySet().stream().noneMatch(tokenParameter::hides)) {
      return all;
    }
    Map<String, String[]> kept = new LinkedHashMap<>(all);
    kept.keySet().removeIf(tokenParameter::hides);
    return Collections.unmodifiableMap(kept);
  }

  @Override
  public @Nullable String getHeader(String name) {
    String value = added.get(name);
    if (value != null) {
      return value;
    }
    if (name.equalsIgnoreCase("Cookie")) {
      List<String> cookies = cookieHeaders();
      return cookies.isEmpty() ? null : cookies.get(0);
    }
    if (name.equalsIgnoreCase("Connection")) {
      List<String> connection = connectionHeaders();
      return connection.isEmpty() ? null : connection.get(0);
    }
    return hidden(name) ? null : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String value = added.get(name);
    if (value != null) {
      return Collections.enumeration(List.of(value));
    }
    if (name.equalsIgnoreCase("Cookie")) {
      return Collections.enumeration(cookieHeaders());
    }
    if (name.equalsIgnoreCase("Connection")) {
      return Collections.enumeration(connectionHeaders());
    }
    return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public Cookie @Nullable [] getCookies() {
    Cookie[] all = super.getCookies();
    if (all == null) {
      return null;
    }
    List<Cookie> kept = new ArrayList<>();
    for (Cookie c : all) {
      if (!ownCookies.isOwn(c.getName())) {
        kept.add(c);
      }
    }
    return kept.isEmpty() ? null : kept.toArray(new Cookie[0]);
  }

  /** The Cookie headers without the filter's own cookies; a header left empty is dropped. */
  private List<String> cookieHeaders() {
    List<String> out = new ArrayList<>();
    for (String header : Collections.list(super.getHeaders("Cookie"))) {
      String kept = ownCookies.without(header);
      if (!kept.isEmpty()) {
        out.add(kept);
      }
    }
    return out;
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (String name : Collections.list(super.getHeaderNames())) {
      boolean emptyCookie = name.equalsIgnoreCase("Cookie") && cookieHeaders().isEmpty();
      boolean emptyConnection =
          name.equalsIgnoreCase("Connection") && connectionHeaders().isEmpty();
      if (!hidden(name) && !emptyCookie && !emptyConnection) {
        names.add(name);
      }
    }
    names.addAll(added.keySet());
    return Collections.enumeration(names);
  }

  @Override
  public long getDateHeader(String name) {
    return hidden(name) ? -1 : super.getDateHeader(name);
  }

  @Override
  public int getIntHeader(String name) {
    String value = getHeader(name);
    return value == null ? -1 : Integer.parseInt(value);
  }

  @Override
  public Principal getUserPrincipal() {
    return principal != null ? principal : super.getUserPrincipal();
  }

  @Override
  public String getRemoteUser() {
    return principal != null ? principal.getName() : super.getRemoteUser();
  }

  @Override
  public boolean isUserInRole(String role) {
    return principal != null ? principal.roles().contains(role) : super.isUserInRole(role);
  }

  @Override
  public String getAuthType() {
    return principal != null ? "Bearer" : super.getAuthType();
  }
}
