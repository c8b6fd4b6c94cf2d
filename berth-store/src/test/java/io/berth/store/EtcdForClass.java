package io.berth.store;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real etcd for a test class ({@code @RegisterExtension static final EtcdForClass etcd = new
 * EtcdForClass();}): started before its first test, or the class skipped when etcd is not
 * installed, and stopped after its last.
 */
public final class EtcdForClass implements BeforeAllCallback, AfterAllCallback {
  private EtcdProcess etcd;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    EtcdProcess.assumeInstalled();
    etcd = EtcdProcess.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (etcd != null) {
      etcd.close();
    }
  }

  /** {@code 127.0.0.1:port}. */
  public String endpoint() {
    return etcd.endpoint();
  }

  /** The store URL of this etcd. */
  public String url() {
    return etcd.url();
  }
}
