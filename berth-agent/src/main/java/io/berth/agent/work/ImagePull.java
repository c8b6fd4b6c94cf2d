package io.berth.agent.work;

import io.berth.engine.ContainerEngine;
import io.berth.engine.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's image on the node: pulled when the node lacks it (as Diego's executor fetches a
 * docker rootfs) with the registry's credentials, logging the registry's progress.
 */
final class ImagePull {
  private static final Logger log = LoggerFactory.getLogger(ImagePull.class);

  private ImagePull() {}

  /** Returns once {@code image} is on the engine; the engine's failure when it cannot be pulled. */
  static void ensure(ContainerEngine engine, RegistryAuth auth, String guid, String image) throws EngineException {
    if (engine.hasImage(image)) return;
    long t0 = System.nanoTime();
    log.info("instance-pulling instance={} image={}", guid, image);
    String[] last = {""};
    engine.pull(image, auth.forImage(image), line -> {
      if (!line.equals(last[0])) log.debug("instance-pull-progress instance={} {}", guid, line);
      last[0] = line;
    });
    log.info("instance-pulled instance={} image={} ms={}", guid, image, (System.nanoTime() - t0) / 1_000_000);
  }
}
