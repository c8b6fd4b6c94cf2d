package io.berth.cli;

import io.berth.store.StateStore;
import io.berth.store.StateStores;
import io.berth.store.backup.BackupHeader;
import io.berth.store.backup.BackupReader;
import io.berth.store.backup.BackupWriter;
import io.berth.store.backup.DataDirFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth backup FILE}: the whole cluster in one file, from a running manager ({@code GET
 * /v1/backup}, administrators only) or, with {@code --store}, straight from a store no manager runs
 * on. The file is written under a temporary name, read back and checked, and only then moved to FILE.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Write a backup of the cluster to FILE: the CA, tokens, users, members, apps, LRPs, routes, audit and",
        "every other record, read at one store revision, and the manager's admin.token. Administrators only.",
        "Registry data is not in it: back up the registry's storage yourself (see docs/operate.md)."})
final class BackupCommand extends ApiCommand {
  /** Progress every this many bytes received from the manager. */
  static final long PROGRESS_BYTES = 1 << 20;

  @Parameters(paramLabel = "FILE", description = "Where to write the backup (gzip'd; replaced if it exists).")
  Path file;

  @Option(names = "--store", paramLabel = "URL",
      description = "Read this store directly (sqlite:///path/berth.db or etcd://host:2379[,...]) instead of a manager's API;"
          + " the data-dir files come from --data.")
  String store;

  @Override
  public Integer call() throws IOException {
    Path target = file.toAbsolutePath();
    Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
    if (!Files.isDirectory(target.getParent()) || !Files.isWritable(target.getParent())) {
      throw new IllegalArgumentException("cannot write backup " + file + ": " + target.getParent() + " is not a writable directory");
    }
    try {
      try (OutputStream out = Files.newOutputStream(partial)) {
        if (store != null) fromStore(out);
        else fromManager(out);
      }
      BackupHeader header;
      try (InputStream in = Files.newInputStream(partial)) {
        header = BackupReader.read(in, file.toString()).header(); // what reached the disk is whole and unaltered
      }
      long bytes = Files.size(partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      out().println("backup " + file + ": " + header.keys() + " keys, " + bytes + " bytes, revision " + header.revision());
      return 0;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private void fromStore(OutputStream out) throws IOException {
    Path data = client.dataDir();
    try (StateStore s = StateStores.open(store)) {
      new BackupWriter(VersionCommand.version(), Clock.systemUTC()).write(s, Files.isDirectory(data) ? DataDirFiles.collect(data) : Map.of(),
          out, (keys, bytes) -> progress(keys + " keys, " + bytes + " bytes"));
    }
  }

  private void fromManager(OutputStream out) {
    long[] next = {PROGRESS_BYTES};
    api().download("/v1/backup", out, bytes -> {
      if (bytes >= next[0]) {
        progress(bytes + " bytes");
        next[0] = bytes + PROGRESS_BYTES;
      }
    });
  }

  private void progress(String line) {
    err().println("backup " + file + ": " + line);
    err().flush();
  }
}
