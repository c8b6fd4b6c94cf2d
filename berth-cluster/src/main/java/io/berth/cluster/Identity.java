package io.berth.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** A peer's key and certificate, with the CA that signed it: all a node holds to talk to managers. */
public record Identity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

  /** The common name in the certificate: the peer's name. */
  public String name() {
    return Peers.name(certificate);
  }

  /** An mTLS context that presents this identity and trusts only the cluster CA. */
  public SSLContext sslContext() {
    return Tls.context(this);
  }

  /** Writes {@code ca.pem}, {@code cert.pem} and {@code key.pem} (mode 0600) into {@code dir}. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca));
    Files.writeString(dir.resolve("cert.pem"), Pem.certificate(certificate));
    Path key = dir.resolve("key.pem");
    Files.deleteIfExists(key);
    Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, Pem.privateKey(this.key));
  }

  /** Reads an identity saved by {@link #save}, if the directory holds one. */
  public static Optional<Identity> load(Path dir) throws IOException {
    Path cert = dir.resolve("cert.pem");
    if (!Files.exists(cert)) return Optional.empty();
    return Optional.of(new Identity(Pem.parsePrivateKey(Files.readString(dir.resolve("key.pem"))),
        Pem.parseCertificate(Files.readString(cert)), Pem.parseCertificate(Files.readString(dir.resolve("ca.pem")))));
  }
}
