package io.berth.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The images of a {@link FakeEngine}, by repo:tag; thread-safe. */
final class FakeImages {
  private final Map<String, ImageSummary> byTag = new HashMap<>();

  /** Reads the whole tarball and records it as {@code ref}; refuses what is not a tar, as Docker does. */
  void importTar(InputStream tar, String ref) {
    long size;
    byte[] header;
    try (tar) {
      header = tar.readNBytes(512);
      size = header.length + tar.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new EngineException(500, "Error processing tar file: " + e.getMessage(), e);
    }
    if (header.length < 512 || !new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
      throw new EngineException(500, "Error processing tar file(exit status 1): unexpected EOF");
    }
    add(ref, size);
  }

  /** Records an image; a tag already taken moves to the new one, as with docker import or tag. */
  synchronized void add(String reference, long size) {
    String ref = withTag(reference);
    ImageSummary old = byTag.get(ref);
    if (old != null && old.repoTags().size() > 1) { // the old image keeps its other tags
      List<String> rest = old.repoTags().stream().filter(t -> !t.equals(ref)).toList();
      ImageSummary kept = new ImageSummary(old.id(), rest, old.size());
      rest.forEach(t -> byTag.put(t, kept));
    }
    byTag.put(ref, new ImageSummary("sha256:" + randomHex(64), List.of(ref), size));
  }

  /** True for a known repo:tag (":latest" when none is given), a full id, or an id prefix of 4+ hex digits. */
  synchronized boolean has(String reference) {
    if (byTag.containsKey(withTag(reference))) {
      return true;
    }
    String hex = reference.startsWith("sha256:") ? reference.substring(7) : reference;
    return hex.length() >= 4 && byTag.values().stream().anyMatch(i -> i.id().startsWith("sha256:" + hex));
  }

  synchronized List<ImageSummary> list() {
    return byTag.values().stream().distinct().toList();
  }

  /** Docker's reading of a reference without a tag: {@code team/app} means {@code team/app:latest}. */
  static String withTag(String reference) {
    int slash = reference.lastIndexOf('/');
    boolean tagged = reference.indexOf(':', slash + 1) >= 0 || reference.contains("@");
    return tagged || reference.startsWith("sha256:") ? reference : reference + ":latest";
  }

  static String randomHex(int length) {
    byte[] bytes = new byte[length / 2];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
