package io.berth.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmSyntaxTest {
  @Test
  void expressionsLeaveTheEnvironmentAndAreKeptAsLabels() {
    var p = SwarmSyntax.parse(List.of("A=1", "constraint:node==node1", "affinity:container!=web", "constraint:disk==~ssd"), Map.of("x", "y"));
    assertThat(p.env()).containsExactly("A=1");
    assertThat(p.constraints()).extracting(Expr::toString).containsExactly("node==node1", "disk==~ssd");
    assertThat(p.constraints().get(1).soft()).isTrue();
    assertThat(p.affinities()).singleElement().satisfies(e -> assertThat(e.equal()).isFalse());
    assertThat(p.labels()).containsEntry("x", "y")
        .containsEntry(SwarmSyntax.CONSTRAINTS_LABEL, "[\"node==node1\",\"disk==~ssd\"]")
        .containsEntry(SwarmSyntax.AFFINITIES_LABEL, "[\"container!=web\"]");
  }

  @Test
  void labelsCarryTheSameExpressions() {
    var p = SwarmSyntax.parse(List.of(), Map.of(SwarmSyntax.CONSTRAINTS_LABEL, "[\"node==node1\", \"disk!=hdd\"]",
        SwarmSyntax.AFFINITIES_LABEL, "[]"));
    assertThat(p.constraints()).extracting(Expr::toString).containsExactly("node==node1", "disk!=hdd");
    assertThat(p.affinities()).isEmpty();
    assertThat(p.labels()).doesNotContainKey(SwarmSyntax.AFFINITIES_LABEL);
  }

  @Test
  void malformedExpressionsAndLabelsAreNamed() {
    assertThatThrownBy(() -> SwarmSyntax.parse(List.of("constraint:disk=ssd"), Map.of()))
        .hasMessage("invalid constraint 'disk=ssd': expected KEY==VALUE, KEY!=VALUE, KEY==~VALUE or KEY!=~VALUE");
    assertThatThrownBy(() -> SwarmSyntax.parse(List.of("affinity:node==/[/"), Map.of()))
        .hasMessageContaining("invalid affinity 'node==/[/': bad regular expression");
    assertThatThrownBy(() -> SwarmSyntax.parse(List.of(), Map.of(SwarmSyntax.CONSTRAINTS_LABEL, "node==n1")))
        .hasMessageContaining("must be a JSON array of strings");
    assertThatThrownBy(() -> SwarmSyntax.parse(List.of(), Map.of(SwarmSyntax.CONSTRAINTS_LABEL, "[\"a==b\" \"c==d\"]")))
        .hasMessageContaining("must be a JSON array of strings");
  }
}
