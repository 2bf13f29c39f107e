package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.util.Optional;

/**
 * The client secret, sent as HTTP Basic ({@code client_secret_basic}) or in the form ({@code
 * client_secret_post}); nothing for {@code none} or when there is no secret. Immutable.
 */
public final class SecretClientAuthenticator implements ClientAuthenticator {

  private final ClientID clientId;
  private final Optional<Secret> secret;

  public SecretClientAuthenticator(ClientID clientId, Optional<Secret> secret) {
    this.clientId = clientId;
    this.secret = secret;
  }

  @Override
  public Optional<ClientAuthentication> authenticate(
      ClientAuthenticationMethod method, URI endpoint) {
    if (secret.isEmpty() || method.equals(ClientAuthenticationMethod.NONE)) {
      return Optional.empty();
    }
    return Optional.of(
        method.equals(ClientAuthenticationMethod.CLIENT_SECRET_POST)
            ? new ClientSecretPost(clientId, secret.get())
            : new ClientSecretBasic(clientId, secret.get()));
  }
}
