package io.berth.cluster;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS contexts for the cluster: TLS 1.3 only (its close_notify is a half-close, which hijacked
 * Docker streams need), peers identified by the cluster CA rather than by host name, since nodes
 * are reached by whatever address they advertise — the same choice Docker's swarm mode made.
 */
public final class Tls {
  static final String PROTOCOL = "TLSv1.3";

  private Tls() {}

  /** Presents {@code identity} and trusts only certificates signed by its CA. */
  public static SSLContext context(Identity identity) {
    return build(new KeyManager[] {new OneKey(identity)}, new SignedBy(identity.ca(), null));
  }

  /**
   * Presents nothing and trusts a server only if its chain holds the CA whose SHA-256 the join
   * token carries: how a joining node knows it talks to the right cluster before it has a certificate.
   */
  public static SSLContext pinned(String caFingerprint) {
    return build(null, new SignedBy(null, caFingerprint));
  }

  private static SSLContext build(KeyManager[] keys, X509ExtendedTrustManager trust) {
    try {
      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(keys, new TrustManager[] {trust}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Accepts a chain whose leaf is signed by the cluster CA (given, or found in the chain by fingerprint). */
  private static final class SignedBy extends X509ExtendedTrustManager {
    private final X509Certificate ca;
    private final String pin;

    SignedBy(X509Certificate ca, String pin) {
      this.ca = ca;
      this.pin = pin;
    }

    private void verify(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) throw new CertificateException("no certificate presented");
      X509Certificate anchor = ca;
      if (anchor == null) {
        for (X509Certificate c : chain) {
          if (ClusterCa.fingerprint(c).equals(pin)) anchor = c;
        }
        if (anchor == null) {
          throw new CertificateException("the manager's CA does not match the join token: wrong cluster or tampered connection");
        }
      }
      try {
        chain[0].checkValidity();
        chain[0].verify(anchor.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new CertificateException("certificate not issued by this cluster's CA: " + e.getMessage(), e);
      }
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException { verify(chain); }
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException { verify(chain); }
    @Override public void checkClientTrusted(X509Certificate[] chain, String a, Socket s) throws CertificateException { verify(chain); }
    @Override public void checkServerTrusted(X509Certificate[] chain, String a, Socket s) throws CertificateException { verify(chain); }
    @Override public void checkClientTrusted(X509Certificate[] chain, String a, SSLEngine e) throws CertificateException { verify(chain); }
    @Override public void checkServerTrusted(X509Certificate[] chain, String a, SSLEngine e) throws CertificateException { verify(chain); }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return ca == null ? new X509Certificate[0] : new X509Certificate[] {ca};
    }
  }
}
