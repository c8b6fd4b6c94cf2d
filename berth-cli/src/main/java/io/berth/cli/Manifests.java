package io.berth.cli;

import io.berth.core.error.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Reads the JSON a {@code -f FILE|-} flag names and checks it as the manager will, before sending it. */
final class Manifests {
  private Manifests() {}

  /** The {@code -f FILE|-} of {@code lrp create} and {@code task create}: a Receptor request in JSON. */
  static final class RequestFile {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE|-", description = "The JSON file; - reads standard input.")
    String file;

    /** Reads the file, checks it with {@code decoder} and POSTs it to {@code path}: the request it holds. */
    <T> T post(ApiClient api, String path, Function<byte[], T> decoder) {
      byte[] body = read(file, System.in);
      T request = decode(file, body, decoder);
      api.post(path, body);
      return request;
    }
  }

  /** The bytes of {@code file}, or of standard input for {@code -}. */
  static byte[] read(String file, InputStream stdin) {
    try {
      if (file.equals("-")) return stdin.readAllBytes();
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * The manifest decoded by the manager's own decoder ({@code ReceptorRequests}), so a mistake is
   * named here, with its file, without a round trip; the manager checks it again.
   */
  static <T> T decode(String file, byte[] body, Function<byte[], T> decoder) {
    try {
      return decoder.apply(body);
    } catch (BerthException.Invalid e) {
      throw new IllegalArgumentException((file.equals("-") ? "stdin" : file) + ": " + e.getMessage());
    }
  }
}
