package io.berth.manager.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.core.node.Node;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.SwarmSyntax;
import io.berth.engine.DockerJson;
import io.berth.manager.build.BuildRecords;
import io.berth.manager.fleet.ClusterView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /build}: the whole context goes to one node, chosen by the scheduler. With no
 * registry to pull from, a build can only run where its base images are, so the Dockerfile's
 * {@code FROM} images steer the choice as a container's image does; Swarm's constraint labels
 * ({@code --label com.docker.swarm.constraints='["node==n2"]'}) narrow it further. The node's
 * build output is relayed as it comes.
 */
final class Builds {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final Creator creator;

  Builds(ClusterView cluster, Creator creator) {
    this.cluster = cluster;
    this.creator = creator;
  }

  /** Builds as resources with members: set by the manager; null runs every build unrecorded (tests). */
  volatile BuildRecords records;

  /** Places the build and forwards the context there; the build is recorded as relayed or failed once the relay ends. */
  Reply build(Exchange ex, String[] parts) {
    Principal caller = ex.caller();
    String tag = ex.queryParam("t");
    List<String> tags = tag == null || tag.isEmpty() ? List.of() : List.of(tag);
    String name = BuildRecords.nameFor(tags, caller.user());
    BuildRecords rec = records;
    if (rec != null) rec.begin(caller, name);
    Consumer<Exception> finished = failure -> {
      if (rec == null) return;
      if (failure == null) rec.finished(caller, name, tags, "relayed", "the node's build output went to the client");
      else rec.finished(caller, name, tags, "failed", failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
    };
    Node node;
    try {
      node = place(ex);
    } catch (RuntimeException e) {
      finished.accept(e);
      throw e;
    }
    Runnable changed = cluster.cache().imagesChanging(node); // the built image is seen the moment the client sees the output end
    return new Reply.Forward(node, ex.request(), failure -> {
      changed.run();
      finished.accept(failure);
    });
  }

  private Node place(Exchange ex) {
    String dockerfile = ex.queryParam("dockerfile");
    List<String> bases = baseImages(ex.body(), dockerfile == null || dockerfile.isEmpty() ? "Dockerfile" : dockerfile);
    Map<String, String> labels = new LinkedHashMap<>();
    String labelsJson = ex.queryParam("labels");
    if (labelsJson != null && !labelsJson.isEmpty()) {
      try {
        JSON.readTree(labelsJson).fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
      } catch (IOException e) {
        throw new BerthException.Invalid("invalid labels for the build: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    SwarmSyntax.Parsed swarm = SwarmSyntax.parse(List.of(), labels);
    return creator.place(views -> {
      String image = bases.isEmpty() ? "" : bases.get(0);
      boolean someNodeHasIt = !image.isEmpty() && views.stream().anyMatch(v -> v.images().contains(image) || v.images().contains(image + ":latest"));
      return new PlacementRequest(null, image, image.isEmpty() || !someNodeHasIt, 0, 0, swarm.constraints(), swarm.affinities(), List.of(), List.of());
    });
  }

  /**
   * The images a Dockerfile builds from ({@code FROM image [AS name]}, stages named earlier left
   * out), read from the build context: a tar, gzip-compressed or not. Empty when it cannot tell
   * (a remote context, an unusual Dockerfile): the build then goes where the strategy says.
   */
  static List<String> baseImages(byte[] context, String dockerfile) {
    String text;
    try {
      text = entry(context, dockerfile);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    if (text == null) return List.of();
    List<String> out = new ArrayList<>();
    Set<String> stages = new HashSet<>();
    for (String line : text.replace("\\\n", " ").lines().toList()) {
      String[] words = line.strip().split("\\s+");
      if (words.length < 2 || !words[0].equalsIgnoreCase("FROM")) continue;
      int i = 1;
      while (i < words.length && words[i].startsWith("--")) i++; // --platform=…
      if (i >= words.length) continue;
      String image = words[i];
      if (i + 2 < words.length && words[i + 1].equalsIgnoreCase("AS")) stages.add(words[i + 2].toLowerCase(Locale.ROOT));
      if (!stages.contains(image.toLowerCase(Locale.ROOT)) && !image.equalsIgnoreCase("scratch") && !image.contains("$")) out.add(image);
    }
    return out;
  }

  /** One file of a tar archive, as text; null when absent. */
  private static String entry(byte[] archive, String name) throws IOException {
    InputStream in = new ByteArrayInputStream(archive);
    if (archive.length > 2 && (archive[0] & 0xff) == 0x1f && (archive[1] & 0xff) == 0x8b) in = new GZIPInputStream(in);
    String wanted = name.startsWith("./") ? name.substring(2) : name;
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512) {
      String path = field(header, 0, 100);
      if (path.isEmpty()) return null; // the two zero blocks at the end
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty() && "ustar".equals(field(header, 257, 6).strip())) path = prefix + "/" + path;
      long size = Long.parseLong(field(header, 124, 12).strip().isEmpty() ? "0" : field(header, 124, 12).strip(), 8);
      byte[] data = in.readNBytes((int) size);
      in.skipNBytes((512 - size % 512) % 512);
      if ((path.startsWith("./") ? path.substring(2) : path).equals(wanted)) return new String(data, StandardCharsets.UTF_8);
    }
    return null;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) end++;
    return new String(header, offset, end - offset, StandardCharsets.ISO_8859_1);
  }
}
