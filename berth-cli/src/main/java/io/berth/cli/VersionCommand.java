package io.berth.cli;

import picocli.CommandLine.Command;

/** {@code berth version}. */
@Command(name = "version", description = "Print Berth's version and the Java it runs on.")
final class VersionCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("berth " + Main.version());
    System.out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
  }
}
