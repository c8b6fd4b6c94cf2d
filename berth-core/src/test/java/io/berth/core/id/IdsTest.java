package io.berth.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void eachIdPrintsAsItsRawString() {
    assertThat(new ProcessGuid("web-v1")).hasToString("web-v1");
    assertThat(new TaskGuid("job_1")).hasToString("job_1");
    assertThat(new InstanceGuid("g1")).hasToString("g1");
    assertThat(NodeName.of("n1")).hasToString("n1");
    assertThat(new Domain("apps")).hasToString("apps");
  }

  @Test
  void aNodeNameFollowsTheNodeNameRuleOrIsNone() {
    assertThat(NodeName.of("")).isSameAs(NodeName.NONE);
    assertThat(NodeName.NONE.isNone()).isTrue();
    assertThat(InstanceGuid.of("").isNone()).isTrue();
    assertThatThrownBy(() -> NodeName.of("bad name")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid node name 'bad name'");
  }

  @Test
  void aLookupByAStringThatSpellsNoNodeNameFindsNothing() {
    assertThat(NodeName.lookup("n1")).hasValue(NodeName.of("n1"));
    assertThat(NodeName.lookup("bad name")).isEmpty();
    assertThat(NodeName.lookup("")).as("NONE is no node's name").isEmpty();
    assertThat(NodeName.lookup(null)).isEmpty();
  }

  @Test
  void noIdIsNull() {
    assertThatThrownBy(() -> new ProcessGuid(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Domain(null)).isInstanceOf(NullPointerException.class);
  }
}
