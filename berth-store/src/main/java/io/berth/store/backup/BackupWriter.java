package io.berth.store.backup;

import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a backup of a store: one gzip'd text file (see {@link BackupReader} for the layout). Every
 * key comes from {@link StateStore#snapshot}, read at one revision (SQLite in one read transaction,
 * etcd page by page at the first page's revision), so a backup never mixes two moments.
 */
public final class BackupWriter {
  /** Called after every so many keys with the keys and (uncompressed) bytes written so far. */
  public interface Progress {
    void written(int keys, long bytes);
  }

  /** What was written: the header and the size of the compressed file. */
  public record Summary(BackupHeader header, long bytes) {}

  static final int PROGRESS_EVERY = 1000;

  private final String berthVersion;
  private final Clock clock;

  public BackupWriter(String berthVersion, Clock clock) {
    this.berthVersion = berthVersion == null ? "dev" : berthVersion;
    this.clock = clock;
  }

  /** Writes the store's held keys and {@code files} (data-dir files by name) to {@code out}, closing it. */
  public Summary write(StateStore store, Map<String, byte[]> files, OutputStream out, Progress progress) throws IOException {
    return write(snapshot(store), files, out, progress);
  }

  /** What a backup of {@code store} reads: every key under {@code /berth/} at one revision. */
  public static Page snapshot(StateStore store) {
    return store.snapshot(BackupKeys.PREFIX);
  }

  /**
   * Writes the held keys of {@code page} (a {@link #snapshot}) and {@code files} to {@code out},
   * closing it: a server reads the snapshot first, so a store that fails is an error answer and
   * not a backup cut short.
   */
  public Summary write(Page page, Map<String, byte[]> files, OutputStream out, Progress progress) throws IOException {
    List<KeyValue> held = page.items().stream().filter(BackupKeys::held).toList();
    String cluster = held.stream().filter(kv -> kv.key().equals(ClusterId.CA_CERT)).findFirst()
        .map(kv -> ClusterId.fingerprint(kv.value())).orElse("");
    BackupHeader header = new BackupHeader(BackupReader.FORMAT, berthVersion, cluster, page.revision(),
        Instant.now(clock), held.size(), files.size());
    CountingOutputStream counted = new CountingOutputStream(out);
    try (Lines lines = new Lines(new GZIPOutputStream(counted, 1 << 16))) {
      lines.write(BackupReader.MAGIC + " " + header.format());
      lines.write("berth-version " + header.berthVersion());
      lines.write("cluster " + header.cluster());
      lines.write("revision " + header.revision());
      lines.write("time " + header.time());
      lines.write("keys " + header.keys());
      lines.write("files " + header.files());
      lines.write(BackupReader.END_OF_HEADER);
      int n = 0;
      for (KeyValue kv : held) {
        lines.write("key " + b64(kv.key().getBytes(StandardCharsets.UTF_8)) + " " + b64(kv.value()));
        if (++n % PROGRESS_EVERY == 0) {
          progress.written(n, lines.bytes);
        }
      }
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        lines.write("file " + b64(f.getKey().getBytes(StandardCharsets.UTF_8)) + " " + b64(f.getValue()));
      }
      lines.trailer(held.size());
      progress.written(n, lines.bytes);
    }
    return new Summary(header, counted.count);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Lines to the gzip stream, each also fed to the SHA-256 that the trailer carries. */
  private static final class Lines implements AutoCloseable {
    private final OutputStream out;
    private final MessageDigest sha = sha256();
    long bytes;

    Lines(OutputStream out) {
      this.out = out;
    }

    void write(String line) throws IOException {
      byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
      sha.update(b);
      out.write(b);
      bytes += b.length;
    }

    void trailer(int keys) throws IOException {
      String digest = HexFormat.of().formatHex(sha.digest());
      out.write((BackupReader.TRAILER + " " + keys + " " + digest + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts the compressed bytes that reach the file. */
  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
