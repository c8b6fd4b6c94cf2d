package io.berth.cluster;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority. The manager creates it on its first start and keeps it in
 * the store; it signs a certificate for every manager and every joined node. A certificate's
 * common name is the peer's name and its organisational unit its {@link Role}.
 */
public final class ClusterCa {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final X509Certificate certificate;
  private final PrivateKey key;

  public ClusterCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** Creates a new CA with a self-signed certificate valid for ten years. */
  public static ClusterCa create(String clusterName, Instant now) {
    KeyPair pair = newKeyPair();
    X500Name subject = new X500Name("CN=" + clusterName + " CA,O=berth");
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
        Date.from(now.minusSeconds(300)), Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new ClusterCa(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the cluster CA: " + e.getMessage(), e);
    }
  }

  /** Issues a certificate for {@code publicKey}, naming the peer and its role. */
  public X509Certificate issue(PublicKey publicKey, String name, Role role, Duration validity, Instant now) {
    return issue(publicKey, name, role, List.of(), validity, now);
  }

  /**
   * Issues a certificate that also names the hosts the peer is reached at (IP addresses or DNS
   * names), so that ordinary TLS clients such as {@code docker --tlsverify} can check it too.
   */
  public X509Certificate issue(PublicKey publicKey, String name, Role role, List<String> hosts,
                               Duration validity, Instant now) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "berth").addRDN(BCStyle.OU, role.word()).addRDN(BCStyle.CN, name).build();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
        Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), subject, publicKey);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      if (!hosts.isEmpty()) {
        GeneralName[] names = hosts.stream()
            .map(h -> new GeneralName(isIp(h)
                ? GeneralName.iPAddress : GeneralName.dNSName, h))
            .toArray(GeneralName[]::new);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return sign(b, key);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  private static boolean isIp(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  /** A fresh identity for a peer, signed by this CA (used for managers, which hold the CA). */
  public Identity newIdentity(String name, Role role, Duration validity, Instant now) {
    KeyPair pair = newKeyPair();
    return new Identity(pair.getPrivate(), issue(pair.getPublic(), name, role, validity, now), certificate);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey key() {
    return key;
  }

  /** SHA-256 of the CA certificate, hex: what a join token pins. */
  public String fingerprint() {
    return fingerprint(certificate);
  }

  public static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner cs = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(cs));
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }
}
