package io.berth.cluster;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** PEM text for certificates and PKCS#8 keys, the form they take on disk and in the store. */
public final class Pem {
  private Pem() {}

  public static String encode(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  public static String certificate(X509Certificate cert) {
    try {
      return encode("CERTIFICATE", cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String privateKey(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  /** The DER bytes of the first PEM block of {@code type}. */
  public static byte[] decode(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END " + type + "-----");
    if (start < 0 || end < 0) throw new IllegalArgumentException("not a PEM " + type);
    return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
  }

  public static X509Certificate parseCertificate(String pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(decode(pem, "CERTIFICATE")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid certificate: " + e.getMessage(), e);
    }
  }

  /** Parses an EC or RSA PKCS#8 private key. */
  public static PrivateKey parsePrivateKey(String pem) {
    byte[] der = decode(pem, "PRIVATE KEY");
    for (String algorithm : new String[] {"EC", "RSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("not an EC or RSA PKCS#8 private key");
  }
}
