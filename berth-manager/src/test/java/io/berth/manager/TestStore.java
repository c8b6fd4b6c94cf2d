package io.berth.manager;

import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A SQLite store in a fresh directory for each test, shared by the "managers" a test builds on it. */
public final class TestStore implements BeforeEachCallback, AfterEachCallback {
  private Path dir;
  private StateStore store;

  public StateStore get() {
    return store;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("berth-store");
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
