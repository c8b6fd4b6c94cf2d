package io.berth.manager.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.JoinToken;
import io.berth.cluster.Peers;
import io.berth.cluster.Pem;
import io.berth.cluster.wire.JoinRequest;
import io.berth.cluster.wire.Registration;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.manager.activity.Activity;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import io.berth.manager.http.Routes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterEndpointTest {
  @TempDir Path dir;
  StateStore store;
  ClusterSecrets secrets;
  NodeRegistry nodes;
  ClusterEndpoint endpoint;

  @BeforeEach
  void start() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    secrets = ClusterSecrets.loadOrCreate(store, Clock.systemUTC().instant());
    Activity activity = new Activity(store, Clock.systemUTC());
    nodes = new NodeRegistry(store, activity, Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(3));
    endpoint = new ClusterEndpoint(secrets, nodes, activity, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    store.close();
  }

  static String publicKey() {
    return Pem.encode("PUBLIC KEY", ClusterCa.newKeyPair().getPublic().getEncoded());
  }

  @Test
  void theRightTokenGetsACertificateForTheNameAskedSignedByTheClusterCa() throws Exception {
    var r = endpoint.join(new JoinRequest(secrets.joinToken().toString(), "n1", publicKey(), List.of("127.0.0.11")), "127.0.0.1");
    var cert = Pem.parseCertificate(r.certificate());
    cert.verify(secrets.ca().certificate().getPublicKey());
    assertThat(Peers.name(cert)).isEqualTo("n1");
    assertThat(cert.getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1)).toList()).containsExactly("127.0.0.11");
    assertThat(r.ca()).isEqualTo(Pem.certificate(secrets.ca().certificate()));
  }

  @Test
  void aWrongSecretOrAnotherClustersTokenIsRefused() {
    JoinToken right = secrets.joinToken();
    String wrongSecret = JoinToken.generate(right.caFingerprint()).toString();
    String otherCluster = new JoinToken("0".repeat(64), right.secret()).toString();
    assertThatThrownBy(() -> endpoint.join(new JoinRequest(wrongSecret, "n1", publicKey(), List.of()), "x"))
        .isInstanceOf(BerthException.Unauthorized.class).hasMessageContaining("wrong join token");
    assertThatThrownBy(() -> endpoint.join(new JoinRequest(otherCluster, "n1", publicKey(), List.of()), "x"))
        .isInstanceOf(BerthException.Unauthorized.class);
    assertThatThrownBy(() -> endpoint.join(new JoinRequest("garbage", "n1", publicKey(), List.of()), "x"))
        .isInstanceOf(BerthException.Unauthorized.class).hasMessageContaining("malformed join token");
  }

  @Test
  void aNameHeldByAReadyNodeCannotBeTakenAndABadNameIsInvalid() {
    nodes.register(NodeName.of("n1"), "id", new Registration("127.0.0.11:1", new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30), Map.of()));
    String token = secrets.joinToken().toString();
    assertThatThrownBy(() -> endpoint.join(new JoinRequest(token, "n1", publicKey(), List.of()), "x"))
        .isInstanceOf(BerthException.Conflict.class).hasMessageContaining("in use by a ready node");
    assertThatThrownBy(() -> endpoint.join(new JoinRequest(token, "bad name", publicKey(), List.of()), "x"))
        .isInstanceOf(BerthException.Invalid.class);
    assertThatThrownBy(() -> endpoint.join(new JoinRequest(token, "n2", "not a key", List.of()), "x"))
        .isInstanceOf(BerthException.Invalid.class).hasMessageContaining("public_key");
  }

  @Test
  void secretsAreCreatedOnceAndSharedByEveryManagerOfTheStore() {
    ClusterSecrets again = ClusterSecrets.loadOrCreate(store, Clock.systemUTC().instant());
    assertThat(again.ca().fingerprint()).isEqualTo(secrets.ca().fingerprint());
    assertThat(again.joinToken()).isEqualTo(secrets.joinToken());
    assertThat(secrets.newAdminToken()).isPresent();
    assertThat(again.newAdminToken()).isEmpty();
    assertThat(again.isAdminToken(secrets.newAdminToken().get())).isTrue();
    assertThat(again.isAdminToken("berth-wrong")).isFalse();
  }

  static final EngineFacts FACTS = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30);

  @Test
  void anAgentTwoMinorVersionsAwayIsRefusedAtJoinAndAtRegisterWithNothingRecorded() {
    endpoint.version("0.3.0");
    String token = secrets.joinToken().toString();
    assertThatThrownBy(() -> endpoint.join(new JoinRequest(token, "n1", publicKey(), List.of(), "0.1.2"), "10.0.0.9"))
        .isInstanceOf(BerthException.Conflict.class)
        .hasMessage("agent version 0.1.2 is too far from this manager's 0.3.0: a manager accepts agents of berth 0.2 to 0.4;"
            + " upgrade the agent to berth 0.3 (docs/operate.md, Upgrades)");
    assertThatThrownBy(() -> endpoint.register(NodeName.of("n1"), "id", new Registration("127.0.0.11:1", FACTS, Map.of(), "0.5.0")))
        .isInstanceOf(BerthException.Conflict.class).hasMessageContaining("node n1: agent version 0.5.0").hasMessageEndingWith("upgrade the managers first (docs/operate.md, Upgrades)");
    assertThat(nodes.find(NodeName.of("n1"))).isEmpty();
  }

  @Test
  void anAgentOneMinorBehindJoinsAndItsVersionIsOnItsNodeRecord() {
    endpoint.version("0.3.0");
    endpoint.join(new JoinRequest(secrets.joinToken().toString(), "n1", publicKey(), List.of(), "0.2.4"), "10.0.0.9");
    endpoint.register(NodeName.of("n1"), "id", new Registration("127.0.0.11:1", FACTS, Map.of(), "0.2.4"));
    assertThat(nodes.find(NodeName.of("n1")).orElseThrow().version()).isEqualTo("0.2.4");
    endpoint.register(NodeName.of("n2"), "id2", new Registration("127.0.0.12:1", FACTS, Map.of()));
    assertThat(nodes.find(NodeName.of("n2")).orElseThrow().version()).isNull();
  }

  @Test
  void thePulseWritesANewlineEachBeatUntilTheAgentGoes() throws IOException {
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    ByteArrayOutputStream agent = new ByteArrayOutputStream() {
      int flushes;

      @Override
      public void flush() throws IOException {
        if (++flushes > 3) throw new IOException("the agent went away");
        heard.write(toByteArray());
        reset();
      }
    };
    assertThatThrownBy(() -> ClusterEndpoint.pulse(agent, Duration.ofMillis(1))).isInstanceOf(IOException.class);
    assertThat(heard.toString()).isEqualTo("\n\n\n");
    assertThat(endpoint.routes().table()).contains(new Routes.Entry("GET", "/v1/cluster/pulse"));
  }
}
