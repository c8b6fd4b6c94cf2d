package io.berth.agent.work;

import io.berth.agent.work.ScriptCompiler.Fetch;
import io.berth.agent.work.ScriptCompiler.Script;
import io.berth.engine.ContainerEngine;
import io.berth.engine.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Puts what an instance's container needs before it starts: the scripts and busybox under /.berth in one
 * archive, then each download the scripts expect, streamed from its file — or, when the engine shares this
 * host's files, the downloads into the instance's directory that is bind-mounted there ({@link InstanceDirs}).
 */
final class ContainerFiles {
  /** A fetched download and the name the scripts look for it under in {@link ScriptCompiler#DOWNLOADS}. */
  private record Put(String name, Fetcher.Fetched got) {}

  private final ContainerEngine engine;
  private final Fetcher fetcher;

  ContainerFiles(ContainerEngine engine, Fetcher fetcher) {
    this.engine = engine;
    this.fetcher = fetcher;
  }

  /**
   * Copies the files into container {@code id}; {@code busybox} is the node's busybox to copy in, or
   * null when the engine bind-mounts it. A download that fails leaves its error for the script to
   * report. Temporary downloads are deleted afterwards.
   */
  void copyIn(String id, Script main, Script monitor, Path busybox) throws IOException {
    List<Fetcher.Fetched> temporary = new ArrayList<>();
    try {
      TarWriter tar = scripts(main, monitor, busybox);
      List<Put> downloads = fetchAll(main, monitor, temporary,
          (fetchId, error) -> tar.file(".berth/dl/" + fetchId + ".error", 0644, error));
      engine.putArchive(id, "/", new ByteArrayInputStream(tar.finish()));
      for (Put d : downloads) put(id, d);
    } finally {
      deleteAll(temporary);
    }
  }

  /**
   * Writes the downloads into an instance's directory ({@link InstanceDirs}, its scripts there already),
   * before its container is made: each fetched file is copied (or moved, when temporary) into {@code dl}.
   */
  void writeIn(Path dir, Script main, Script monitor) throws IOException {
    List<Fetcher.Fetched> temporary = new ArrayList<>();
    try {
      Path dl = dir.resolve("dl");
      for (Put d : fetchAll(main, monitor, temporary, (fetchId, error) -> Files.write(dl.resolve(fetchId + ".error"), error))) {
        if (d.got().temporary()) Files.move(d.got().file(), dl.resolve(d.name()), StandardCopyOption.REPLACE_EXISTING);
        else Files.copy(d.got().file(), dl.resolve(d.name()), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      deleteAll(temporary);
    }
  }

  /** What a failed download leaves for the script: its fetch id and the error's words. */
  private interface ErrorFile {
    void write(String fetchId, byte[] error) throws IOException;
  }

  /** Fetches every download the scripts expect; a failure goes to {@code failed}, temporary files to {@code temporary}. */
  private List<Put> fetchAll(Script main, Script monitor, List<Fetcher.Fetched> temporary, ErrorFile failed) throws IOException {
    List<Put> downloads = new ArrayList<>();
    List<Fetch> fetches = new ArrayList<>(main.fetches());
    if (monitor != null) fetches.addAll(monitor.fetches());
    for (Fetch f : fetches) {
      try {
        Fetcher.Fetched got = fetcher.fetch(f.action().from(), f.action().cacheKey());
        if (got.temporary()) temporary.add(got);
        downloads.add(new Put(f.id() + "." + got.kind(), got));
      } catch (IOException e) {
        failed.write(f.id(), String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
      }
    }
    return downloads;
  }

  private static TarWriter scripts(Script main, Script monitor, Path busybox) throws IOException {
    TarWriter tar = new TarWriter().directory(".berth", 0755).directory(".berth/dl", 0755)
        .directory(".berth/run", 0755).directory(".berth/mon", 0755);
    if (busybox != null) tar.file(".berth/busybox", 0755, Files.readAllBytes(busybox));
    tar.symlink(".berth/sh", "busybox")
        .file(".berth/run.sh", 0644, main.text().getBytes(StandardCharsets.UTF_8));
    if (monitor != null) tar.file(".berth/monitor.sh", 0644, monitor.text().getBytes(StandardCharsets.UTF_8));
    return tar;
  }

  /** One download as a one-file archive streamed from disk: a large artifact never sits in memory. */
  private void put(String id, Put d) throws IOException {
    long size = Files.size(d.got().file());
    try (InputStream body = Files.newInputStream(d.got().file())) {
      engine.putArchive(id, ScriptCompiler.DOWNLOADS, new SequenceInputStream(Collections.enumeration(List.of(
          new ByteArrayInputStream(TarWriter.fileHeader(d.name(), 0644, size)), body,
          new ByteArrayInputStream(TarWriter.padding(size)), new ByteArrayInputStream(TarWriter.end())))));
    }
  }

  private static void deleteAll(List<Fetcher.Fetched> temporary) {
    for (Fetcher.Fetched t : temporary) {
      try {
        Files.deleteIfExists(t.file());
      } catch (IOException ignored) {
        // a temporary file left in the data dir's tmp
      }
    }
  }
}
