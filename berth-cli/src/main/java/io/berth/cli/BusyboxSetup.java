package io.berth.cli;

import io.berth.engine.BusyboxImage;
import io.berth.engine.ContainerEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Gives {@code berth dev} its test image {@code berth/busybox:1} (see
 * {@link BusyboxImage}), installing busybox-static first when it is missing and
 * this is a Debian machine run by root. No public registry is reachable here, so this is how a
 * fresh machine gets an image to run.
 */
final class BusyboxSetup {
  private BusyboxSetup() {}

  static void ensure(ContainerEngine engine, PrintStream out, Path dataDir) throws IOException, InterruptedException {
    String image = BusyboxImage.REFERENCE;
    if (engine.hasImage(image)) return;
    if (!BusyboxImage.available()) {
      if (!EngineSetup.isRoot() || EngineSetup.which("apt-get") == null) {
        throw new IllegalStateException("image " + image + " is missing and no static busybox is installed to make it: install busybox-static");
      }
      Packages.install(out, dataDir, "busybox-static");
    }
    out.println("berth dev: importing test image " + image + " (busybox-static) ...");
    BusyboxImage.ensure(engine);
  }
}
