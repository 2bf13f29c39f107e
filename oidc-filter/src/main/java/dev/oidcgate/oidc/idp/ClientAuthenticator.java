package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import java.net.URI;
import java.util.Optional;

/**
 * How this client proves who it is to one of the provider's endpoints. Built once per filter; asked
 * per call, with the endpoint, because a client assertion ({@code private_key_jwt}, RFC 7523) is
 * made for one audience and used once. Thread-safe.
 */
@FunctionalInterface
public interface ClientAuthenticator {

  /**
   * @param method the method configured for this endpoint
   * @param endpoint the URL the request goes to
   * @return the authentication to attach, or empty for a public client (only the client id is sent)
   */
  Optional<ClientAuthentication> authenticate(ClientAuthenticationMethod method, URI endpoint);
}
