package io.berth.manager.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Role;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs the bearer tokens of Docker's token auth scheme, in the exact shape distribution 2.8
 * checks: RS256, {@code typ: JWT}, {@code x5c} the signing certificate and the cluster CA
 * (standard base64 DER, leaf first; the registry's {@code rootcertbundle} is the CA), {@code kid}
 * the libtrust fingerprint of the key, {@code aud} one string. The key and its CA-signed certificate
 * are the cluster's, kept in the store ({@link RegistryKeys}), so every manager signs with the same one.
 */
public final class RegistryTokens {
  /** How long a token lives: dockerd asks again for every push or pull that outlives it. */
  public static final Duration TTL = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String issuer;
  private final String service;
  private final RSASSASigner signer;
  private final JWSHeader header;
  private final X509Certificate certificate;
  private final X509Certificate ca;

  RegistryTokens(String issuer, String service, KeyPair pair, X509Certificate certificate, X509Certificate ca) {
    this.issuer = issuer;
    this.service = service;
    this.signer = new RSASSASigner(pair.getPrivate());
    this.certificate = certificate;
    this.ca = ca;
    try {
      this.header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(keyId(pair.getPublic()))
          .x509CertChain(List.of(Base64.encode(certificate.getEncoded()), Base64.encode(ca.getEncoded()))).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the registry token certificate", e);
    }
  }

  /** A fresh RSA key whose certificate the cluster CA signs, valid for a year. */
  public static RegistryTokens create(ClusterCa ca, String issuer, String service, Instant now) {
    KeyPair pair = rsaKeyPair();
    X509Certificate cert = ca.issue(pair.getPublic(), "registry-token-signer", Role.MANAGER, Duration.ofDays(365), now);
    return new RegistryTokens(issuer, service, pair, cert, ca.certificate());
  }

  public String issuer() {
    return issuer;
  }

  public String service() {
    return service;
  }

  /** The certificate tokens are signed under (its issuer is the cluster CA). */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The cluster CA: the registry's {@code rootcertbundle}. */
  public X509Certificate ca() {
    return ca;
  }

  /** A signed token for {@code subject} granting {@code access}, valid from {@code now} for {@link #TTL}. */
  public String sign(String subject, List<Scope> access, Instant now) {
    return sign(subject, access, now, TTL);
  }

  /** As {@link #sign(String, List, Instant)}, valid for {@code ttl}: a build's push, which comes at the end of its run. */
  public String sign(String subject, List<Scope> access, Instant now, Duration ttl) {
    List<Object> claim = new ArrayList<>();
    for (Scope s : access) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", s.type());
      entry.put("name", s.name());
      entry.put("actions", s.actions().stream().sorted().toList());
      claim.add(entry);
    }
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .audience(service) // one string: distribution 2.8 rejects an array
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(HexFormat.of().formatHex(id))
        .claim("access", claim)
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a registry token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /**
   * The libtrust key id distribution compares {@code kid} with: SHA-256 of the DER public key,
   * its first 240 bits in base32 (48 characters, no padding), in 12 groups of 4 joined by ':'.
   */
  static String keyId(PublicKey key) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    String b32 = base32(Arrays.copyOf(digest, 30));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < b32.length(); i += 4) {
      if (i > 0) out.append(':');
      out.append(b32, i, i + 4);
    }
    return out.toString();
  }

  /** RFC 4648 base32 of a length that is a multiple of 5 bytes (no padding needed). */
  static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    return out.toString();
  }

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
