package io.berth.it;

import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The three-node cluster on etcd that {@link ClusterIT}, {@link LrpIT} and {@link AppIT} share:
 * nodes 24-26, a 4 s node TTL with 1 s heartbeats (so a lost node shows within seconds), and a
 * {@code rack=rN} label on node N; every node says {@code disk_mb=20480}, and the manager takes the
 * Receptor's Basic user {@code diego} and CORS ({@link ReceptorIT}), and sends alert e-mail to an SMTP
 * server on {@link #SMTP_PORT} that {@link AlertIT} runs; the leader evaluates alert rules every 2 s
 * ({@link AlertIT}, {@link AlertLoadIT}), and looks at autoscaled apps every 3 s, which shrink after a
 * 15 s window ({@link AutoscaleIT}): the tests wait for the product's passes, so shorter ones than the
 * defaults (10 s, 15 s, 5 min) keep them short.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@BerthCluster(nodes = 3, firstNode = 24, store = BerthCluster.Store.ETCD,
    managerArgs = {"--node-ttl", "4s", "--heartbeat", "1s", "--receptor-user", "diego", "--receptor-password-file", "{dir}/receptor-password", "--cors",
        "--smtp", "127.0.0.1:" + EtcdCluster.SMTP_PORT, "--smtp-from", "berth@cluster.test",
        "--scale-down-window", "15s", "--autoscale-every", "3s", "--alert-every", "2s"},
    labels = {"rack=r{n}", "disk_mb=20480"}, setup = EtcdCluster.ReceptorPassword.class)
@interface EtcdCluster {
  /** The Receptor's Basic password, for {@link ReceptorIT}. */
  String RECEPTOR_PASSWORD = "receptor-secret";
  /** Where the manager's alert e-mail goes ({@code --smtp}); {@link AlertIT} listens there. */
  int SMTP_PORT = 10025;

  /** Writes the Receptor's password file before the manager starts. */
  final class ReceptorPassword implements BerthCluster.Setup {
    @Override
    public void beforeManager(Path dir, List<LocalEngine> engines) throws IOException {
      Files.writeString(dir.resolve("receptor-password"), RECEPTOR_PASSWORD + "\n");
    }
  }
}
