package io.berth.manager.leader;

import io.berth.store.EtcdProcess;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real etcd for a test class (on a static {@code @RegisterExtension} field), and what each test
 * opens on it, closed after the test in reverse order. Skips the class when etcd is not installed.
 */
public final class OneEtcd implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  private EtcdProcess etcd;
  private final List<AutoCloseable> open = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    EtcdProcess.assumeInstalled();
    etcd = EtcdProcess.start();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (AutoCloseable c : open.reversed()) c.close();
    open.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (etcd != null) etcd.close();
  }

  public String url() {
    return etcd.url();
  }

  /** A connection of its own, as another process would have. */
  public StateStore store() {
    return closeAfter(StateStores.open(etcd.url()));
  }

  /** Closes {@code c} after the test. */
  public <T extends AutoCloseable> T closeAfter(T c) {
    open.add(c);
    return c;
  }

  /** The test closed {@code c} itself. */
  public void closed(AutoCloseable c) {
    open.remove(c);
  }
}
