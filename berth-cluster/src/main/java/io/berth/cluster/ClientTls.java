package io.berth.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS for endpoints that ordinary Docker clients call, from the PEM files users make with openssl
 * (as {@code dockerd --tlsverify --tlscacert --tlscert --tlskey} takes them): keys in PKCS#1,
 * SEC1 or PKCS#8 form; clients verified against the given CA when one is given.
 */
public final class ClientTls {
  private static final char[] NO_PASSWORD = new char[0];

  private ClientTls() {}

  /** A server context presenting {@code cert}/{@code key} and trusting clients signed by {@code ca} (null: none asked). */
  public static SSLContext server(Path cert, Path key, Path ca) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      List<Certificate> chain = certificates(cert);
      if (chain.isEmpty()) throw new IllegalArgumentException(cert + " holds no certificate");
      ks.setKeyEntry("server", privateKey(key), NO_PASSWORD, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, NO_PASSWORD);
      TrustManager[] trust = null;
      if (ca != null) {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (Certificate c : certificates(ca)) ts.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        trust = tmf.getTrustManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), trust, null);
      return ctx;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read TLS files: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable TLS files: " + e.getMessage(), e);
    }
  }

  static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    if (!Files.isReadable(file)) throw new IOException(file + " is not readable");
    try (var in = Files.newInputStream(file)) {
      return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
  }

  static PrivateKey privateKey(Path file) throws IOException {
    if (!Files.isReadable(file)) throw new IOException(file + " is not readable");
    try (Reader r = Files.newBufferedReader(file); PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) return conv.getKeyPair(pair).getPrivate();
      if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
      throw new IOException(file + " holds no unencrypted private key");
    }
  }
}
