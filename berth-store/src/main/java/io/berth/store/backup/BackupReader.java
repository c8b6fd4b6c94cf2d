package io.berth.store.backup;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads and checks a backup. The file is gzip'd UTF-8 text, one record a line:
 * <pre>
 * berth-backup 1
 * berth-version 0.1.0
 * cluster 3f2a…            (SHA-256 of the CA certificate, hex)
 * revision 1234            (the one store revision every key was read at)
 * time 2026-12-06T11:00:00Z
 * keys 57
 * files 1
 * ---
 * key BASE64(KEY) BASE64(VALUE)     one per key, in key order
 * file BASE64(NAME) BASE64(BYTES)   one per data-dir file
 * end 57 SHA256                     the key count and the SHA-256 of every byte before this line
 * </pre>
 * Base64 keeps values byte for byte (binary ones too) and every line ASCII. A truncated or altered
 * file is refused with a sentence naming the file, never half-read.
 */
public final class BackupReader {
  static final String MAGIC = "berth-backup";
  static final int FORMAT = 1;
  static final String END_OF_HEADER = "---";
  static final String TRAILER = "end";

  private BackupReader() {}

  /** Reads the whole backup from {@code in}; {@code name} is how messages name the file. */
  public static Backup read(InputStream in, String name) {
    Parse parse = new Parse(name);
    GZIPInputStream gzip;
    try {
      gzip = new GZIPInputStream(in, 1 << 16);
    } catch (EOFException e) {
      throw new BackupException("backup " + name + " is empty");
    } catch (ZipException e) {
      throw new BackupException("backup " + name + " is not a Berth backup (it is not gzip'd)");
    } catch (IOException e) {
      throw new BackupException("cannot read backup " + name + ": " + e.getMessage(), e);
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(gzip, StandardCharsets.UTF_8))) {
      return parse.run(reader);
    } catch (EOFException e) {
      throw parse.truncated();
    } catch (ZipException e) {
      throw new BackupException("backup " + name + " is corrupt: checksum mismatch (gzip: " + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new BackupException("cannot read backup " + name + ": " + e.getMessage(), e);
    }
  }

  /** One pass over the lines, remembering how far it got for the truncation message. */
  private static final class Parse {
    private final String name;
    private final MessageDigest sha = BackupWriter.sha256();
    private final Map<String, String> fields = new HashMap<>();
    private final Map<String, byte[]> keys = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private BackupHeader header;
    private int format;

    Parse(String name) {
      this.name = name;
    }

    Backup run(BufferedReader reader) throws IOException {
      String first = reader.readLine();
      if (first == null) {
        throw truncated();
      }
      if (!first.startsWith(MAGIC + " ")) {
        throw new BackupException("backup " + name + " is not a Berth backup (it does not start with '" + MAGIC + "')");
      }
      consume(first);
      checkFormat(first.substring(MAGIC.length() + 1));
      for (String line = next(reader); !line.equals(END_OF_HEADER); line = next(reader)) {
        int space = line.indexOf(' ');
        fields.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
      }
      header = header();
      for (String line = next(reader); ; line = next(reader)) {
        if (line.startsWith(TRAILER + " ")) {
          checkTrailer(line);
          return new Backup(header, keys, files);
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !(parts[0].equals("key") || parts[0].equals("file"))) {
          throw corrupt("an unreadable line after " + keys.size() + " keys");
        }
        (parts[0].equals("key") ? keys : files).put(text(parts[1]), bytes(parts[2]));
      }
    }

    private String next(BufferedReader reader) throws IOException {
      String line = reader.readLine();
      if (line == null) {
        throw truncated();
      }
      if (!line.startsWith(TRAILER + " ")) {
        consume(line);
      }
      return line;
    }

    private void consume(String line) {
      sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void checkFormat(String text) {
      int f;
      try {
        f = Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        throw corrupt("format '" + text + "' is not a number");
      }
      format = f;
      if (f > FORMAT) {
        throw new BackupException("backup " + name + " is in format " + f + ", written by a newer Berth; this Berth reads format "
            + FORMAT + ": restore it with the Berth that wrote it or a newer one");
      }
    }

    private BackupHeader header() {
      try {
        return new BackupHeader(format, field("berth-version"), field("cluster"), Long.parseLong(field("revision")),
            Instant.parse(field("time")), Integer.parseInt(field("keys")), Integer.parseInt(field("files")));
      } catch (NumberFormatException | DateTimeParseException e) {
        throw corrupt("its header is unreadable (" + e.getMessage() + ")");
      }
    }

    private String field(String field) {
      String v = fields.get(field);
      if (v == null) {
        throw corrupt("its header has no '" + field + "'");
      }
      return v;
    }

    private void checkTrailer(String line) {
      String[] parts = line.split(" ");
      String digest = HexFormat.of().formatHex(sha.digest());
      if (parts.length != 3 || !parts[2].equals(digest)) {
        throw new BackupException("backup " + name + " is corrupt: checksum mismatch (the content's SHA-256 is "
            + digest.substring(0, 16) + "…, its trailer says " + (parts.length == 3 ? parts[2] : "nothing") + "): it was altered");
      }
      if (keys.size() != header.keys() || files.size() != header.files() || !parts[1].equals(String.valueOf(keys.size()))) {
        throw corrupt("it holds " + keys.size() + " keys and " + files.size() + " files where its header says "
            + header.keys() + " and " + header.files());
      }
    }

    private String text(String b64) {
      return new String(bytes(b64), StandardCharsets.UTF_8);
    }

    private byte[] bytes(String b64) {
      try {
        return Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw corrupt("a value is not base64 after " + keys.size() + " keys");
      }
    }

    BackupException truncated() {
      String of = header == null ? "its header is incomplete" : keys.size() + " of " + header.keys() + " keys";
      if (header != null && keys.size() == header.keys()) {
        of += ", " + files.size() + " of " + header.files() + " files";
      }
      return new BackupException("backup " + name + " is truncated: " + of);
    }

    private BackupException corrupt(String why) {
      return new BackupException("backup " + name + " is corrupt: " + why);
    }
  }
}
