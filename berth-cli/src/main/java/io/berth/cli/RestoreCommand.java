package io.berth.cli;

import io.berth.store.StateStore;
import io.berth.store.StateStores;
import io.berth.store.backup.Backup;
import io.berth.store.backup.BackupReader;
import io.berth.store.backup.DataDirFiles;
import io.berth.store.backup.Restorer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth restore FILE --store URL [--force] [--data DIR]}: a backup into a store no manager
 * runs on. The file is read whole and checked first, and every refusal comes before any change.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore a backup written by 'berth backup' into a store, with every manager on it stopped.",
        "The store must be empty (no keys under /berth/) unless --force, which deletes them first. A store of another",
        "cluster (another CA) is refused. Start the managers afterwards: nodes reconnect with their certificates."})
final class RestoreCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "The backup file.")
  Path file;

  @Option(names = "--store", required = true, paramLabel = "URL", description = "sqlite:///path/berth.db or etcd://host:2379[,...]")
  String store;

  @Option(names = "--force", description = "Delete what the store holds under /berth/ before restoring (never on a live store).")
  boolean force;

  @Option(names = "--data", paramLabel = "DIR", description = "Also restore the manager's data-dir files (admin.token) into DIR.")
  Path data;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Backup backup = read();
    PrintWriter err = spec.commandLine().getErr();
    err.println("restore " + file + ": " + backup.header().keys() + " keys of revision " + backup.header().revision()
        + " written " + backup.header().time() + " by berth " + backup.header().berthVersion());
    err.flush();
    if (data != null) DataDirFiles.check(data, backup);
    Restorer.Result result;
    try (StateStore s = StateStores.open(store)) {
      result = new Restorer(s, store, line -> {
        err.println("restore " + file + ": " + line);
        err.flush();
      }).restore(backup, force);
    }
    int files = data == null ? 0 : DataDirFiles.restore(data, backup);
    spec.commandLine().getOut().println("restore " + file + ": " + result.keys() + " keys into " + store + ", revision " + result.revision()
        + (result.deleted() > 0 ? ", " + result.deleted() + " keys deleted first" : "")
        + (data == null ? "" : ", " + files + " files into " + data));
    return 0;
  }

  private Backup read() throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return BackupReader.read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read backup " + file + ": no such file");
    }
  }
}
