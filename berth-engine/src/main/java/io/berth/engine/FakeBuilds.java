package io.berth.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * {@code docker build} and {@code docker push} for a {@link FakeEngine}: a build reads the context
 * tar, finds the Dockerfile and checks its instructions as the classic builder words its refusals
 * ({@code RUN false} fails as a failing command would), then tags the image; a push of a present
 * image publishes it to the fake's registry. Nothing is executed.
 */
final class FakeBuilds {
  private static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
      "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER");
  private final List<String> pushes = new CopyOnWriteArrayList<>();
  private volatile String pushRefusal;

  void build(InputStream context, String dockerfile, List<String> tags, Consumer<String> progress, FakeImages images) {
    List<TarReader.Entry> entries;
    try (context) {
      entries = TarReader.read(context);
    } catch (IOException | IllegalArgumentException e) {
      throw new EngineException(500, "Error processing tar file: " + e.getMessage(), e);
    }
    String wanted = strip(dockerfile);
    TarReader.Entry file = entries.stream().filter(e -> e.isFile() && strip(e.name()).equals(wanted)).findFirst()
        .orElseThrow(() -> new EngineException(500, "Cannot locate specified Dockerfile: " + dockerfile));
    List<String> lines = new String(file.content(), StandardCharsets.UTF_8).lines().toList();
    List<Integer> steps = IntStream.range(0, lines.size())
        .filter(i -> !lines.get(i).isBlank() && !lines.get(i).strip().startsWith("#")).boxed().toList();
    for (int n = 0; n < steps.size(); n++) {
      String line = lines.get(steps.get(n)).strip();
      String instruction = line.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
      if (!INSTRUCTIONS.contains(instruction)) {
        throw new EngineException(400, "dockerfile parse error line " + (steps.get(n) + 1) + ": unknown instruction: " + line.split("\\s+", 2)[0]);
      }
      progress.accept("Step " + (n + 1) + "/" + steps.size() + " : " + line);
      String command = line.substring(instruction.length()).strip();
      if (instruction.equals("RUN") && (command.equals("false") || command.startsWith("exit "))) {
        int code = command.equals("false") ? 1 : Integer.parseInt(command.substring(5).strip());
        throw new EngineException(500, "The command '/bin/sh -c " + command + "' returned a non-zero code: " + code);
      }
    }
    String id = FakeImages.randomHex(12);
    progress.accept("Successfully built " + id);
    for (String tag : tags) {
      images.add(tag, file.content().length);
      progress.accept("Successfully tagged " + FakeImages.withTag(tag));
    }
  }

  void push(String reference, String registryAuth, Consumer<String> progress, FakeImages images, Set<String> registry) {
    String ref = FakeImages.withTag(reference);
    String repo = ref.substring(0, ref.lastIndexOf(':'));
    if (!images.has(ref)) throw new EngineException(404, "An image does not exist locally with the tag: " + repo);
    String refusal = pushRefusal;
    progress.accept("The push refers to repository [" + repo + "]");
    if (refusal != null) throw new EngineException(500, refusal);
    pushes.add(ref + " " + registryAuth);
    registry.add(ref);
    progress.accept(ref.substring(repo.length() + 1) + ": digest: sha256:" + FakeImages.randomHex(64) + " size: 528");
  }

  List<String> pushes() {
    return List.copyOf(pushes);
  }

  void refusePushes(String message) {
    pushRefusal = message;
  }

  private static String strip(String path) {
    return path.startsWith("./") ? path.substring(2) : path;
  }
}
