package io.berth.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.http.Routes;
import io.berth.store.StoreHealth;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthTest {
  static String body(Routes.Reply r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void okNamesTheLeaderAndTheMembersThatAnswer() {
    Routes.Reply r = Health.reply(new StoreHealth(true, 3, 3, "3 of 3 members answer"), Optional.of("m2"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(body(r)).isEqualTo("ok\nleader: m2\nstore: 3 of 3 members answer\n");
  }

  @Test
  void noLeaderYetSaysNone() {
    assertThat(body(Health.reply(new StoreHealth(true, 2, 3, "2 of 3 members answer"), Optional.empty())))
        .isEqualTo("ok\nleader: none\nstore: 2 of 3 members answer\n");
  }

  @Test
  void noQuorumIs503WithTheStoresSentence() {
    Routes.Reply r = Health.reply(new StoreHealth(false, 1, 3, "store has no quorum: 1 of 3 members answer"), Optional.of("m1"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(body(r)).isEqualTo("store has no quorum: 1 of 3 members answer\n");
    assertThat(body(Health.reply(new StoreHealth(false, 1, 3, "etcd timed out"), Optional.empty())))
        .isEqualTo("store has no quorum: 1 of 3 members answer\n");
  }
}
