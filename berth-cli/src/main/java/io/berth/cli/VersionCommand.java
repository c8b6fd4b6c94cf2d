package io.berth.cli;

import picocli.CommandLine.Command;

/** {@code berth version}. */
@Command(name = "version", description = "Print Berth's version and the Java it runs on.")
final class VersionCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("berth " + version());
    System.out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
  }

  /** Berth's version, from the jar's manifest ("dev" when run from classes). */
  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
