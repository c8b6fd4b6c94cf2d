package io.berth.cluster;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of a peer that holds one identity: presents its key and chain whenever the
 * handshake asks for the key's algorithm. Built directly rather than through a PKCS#12 key store
 * and {@code KeyManagerFactory}, which encrypt the key with PBKDF2 and decrypt it again: that cost
 * more than the handshakes themselves when {@code berth sim} started thousands of nodes.
 */
final class OneKey extends X509ExtendedKeyManager {
  static final String ALIAS = "berth";
  private final PrivateKey key;
  private final X509Certificate[] chain;

  OneKey(Identity identity) {
    this.key = identity.key();
    this.chain = new X509Certificate[] {identity.certificate(), identity.ca()};
  }

  /** Key types come as the key's algorithm ({@code EC}) or, from some key managers' callers, as {@code EC_EC}. */
  private String[] ifFits(String keyType) {
    String algorithm = key.getAlgorithm();
    return keyType != null && (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")) ? new String[] {ALIAS} : null;
  }

  private String first(String[] keyTypes) {
    if (keyTypes == null) return null;
    for (String t : keyTypes) if (ifFits(t) != null) return ALIAS;
    return null;
  }

  private static String only(String[] aliases) {
    return aliases == null ? null : aliases[0];
  }

  @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return ifFits(keyType); }
  @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return ifFits(keyType); }
  @Override public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) { return first(keyTypes); }
  @Override public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) { return first(keyTypes); }
  @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return only(ifFits(keyType)); }
  @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return only(ifFits(keyType)); }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
