package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.Assignment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Images on the executor: pulled when the node lacks them, with the registry's credentials, or a final crash. */
class ExecutorImageTest extends ExecutorFixture {
  @Test
  void anImageNoRegistryHasIsAFinalCrashWithTheEnginesWords() {
    Executor x = executor();
    Assignment a = lrp("g1", 0, null, 0);
    x.assign(List.of(new Assignment(a.kind(), a.instanceGuid(), a.processGuid(), 0, a.domain(), "nope:1", a.env(), 0, 0, 0, false,
        null, RUN, null, null, 0, List.of(), null, null, null)));
    x.pass();
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:CRASHED");
    assertThat(reports.get(1).reason())
        .isEqualTo("cannot pull image nope:1: pull access denied for nope, repository does not exist or may require 'docker login'");
  }

  @Test
  void anImageTheNodeLacksIsPulledBeforeTheContainerIsMade() {
    Executor x = executor();
    engine.publish("127.0.0.1:5000/app:2");
    Assignment a = lrp("g1", 0, null, 0);
    x.assign(List.of(new Assignment(a.kind(), a.instanceGuid(), a.processGuid(), 0, a.domain(), "127.0.0.1:5000/app:2", a.env(), 0, 0, 0,
        false, null, RUN, null, null, 0, List.of(), null, null, null)));
    x.pass();
    assertThat(engine.hasImage("127.0.0.1:5000/app:2")).isTrue();
    actionStarts(only());
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING");
  }

  @Test
  void aPullCarriesTheCredentialsTheRegistryAuthGivesForThatImage() {
    Executor x = executor().registryAuth(image -> image.startsWith("127.0.0.1:5000/") ? "AUTH-FOR-" + image : null);
    engine.publish("127.0.0.1:5000/team/app:2");
    Assignment a = lrp("g1", 0, null, 0);
    x.assign(List.of(new Assignment(a.kind(), a.instanceGuid(), a.processGuid(), 0, a.domain(), "127.0.0.1:5000/team/app:2", a.env(), 0, 0,
        0, false, null, RUN, null, null, 0, List.of(), null, null, null)));
    x.pass();
    assertThat(engine.pullAuths()).containsExactly("127.0.0.1:5000/team/app:2 AUTH-FOR-127.0.0.1:5000/team/app:2");
  }
}
