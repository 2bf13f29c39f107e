package dev.oidcgate.oidc.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS for tests on 127.0.0.1: the server side uses the self-signed certificate that WireMock ships
 * (a test dependency already), the client side trusts any certificate. Never for production.
 */
public final class TestTls {

  static final String KEYSTORE_PASSWORD = "password";

  private TestTls() {}

  /** WireMock's self-signed key pair (JKS, resource {@code /keystore}). */
  static KeyStore serverKeyStore() {
    try (InputStream in = TestTls.class.getResourceAsStream("/keystore")) {
      if (in == null) {
        throw new IllegalStateException("WireMock's keystore is not on the test class path");
      }
      KeyStore keyStore = KeyStore.getInstance("JKS");
      keyStore.load(in, KEYSTORE_PASSWORD.toCharArray());
      return keyStore;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts every certificate and checks no host name. */
  public static SSLContext trustingClient() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Extended, so that the JDK does not add its own host name check on top. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
