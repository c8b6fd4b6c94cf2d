package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildFileTest {
  @Test
  void readsStepsWithTheirCachesAndEnvironment() throws Exception {
    BuildFile f = BuildFile.parse("""
        steps:
          - name: compile
            image: maven:3-eclipse-temurin-21
            run: mvn -B -q package
            caches: [m2, .gradle/caches]
            env: {MAVEN_OPTS: -Xmx1g, DEBUG: 1}
          - image: busybox
            run: |
              ls
              echo done
        """);
    assertThat(f.steps()).hasSize(2);
    BuildFile.Step compile = f.steps().get(0);
    assertThat(compile.name()).isEqualTo("compile");
    assertThat(compile.caches()).containsExactly("m2", ".gradle/caches");
    assertThat(compile.env()).isEqualTo(Map.of("MAVEN_OPTS", "-Xmx1g", "DEBUG", "1"));
    assertThat(f.steps().get(1).name()).isEqualTo("step-2");
    assertThat(f.steps().get(1).run()).isEqualTo("ls\necho done\n");
  }

  @Test
  void anEmptyFileHasNoSteps() throws Exception {
    assertThat(BuildFile.parse("").steps()).isEmpty();
    assertThat(BuildFile.parse("steps: []\n").steps()).isEmpty();
  }

  @Test
  void anUnknownFieldIsNamedWithItsLine() {
    assertThatThrownBy(() -> BuildFile.parse("""
        steps:
          - name: compile
            image: busybox
            comand: make
        """)).isInstanceOf(StepFailed.class)
        .hasMessage("berth-build.yml line 4: steps[0]: unknown field 'comand'; known fields: caches, env, image, name, run");
    assertThatThrownBy(() -> BuildFile.parse("stages: []\n")).hasMessageStartingWith("berth-build.yml line 1: unknown field 'stages'");
  }

  @Test
  void aStepWithoutItsCommandIsRefused() {
    assertThatThrownBy(() -> BuildFile.parse("steps:\n  - image: busybox\n"))
        .hasMessage("berth-build.yml line 2: steps[0]: 'run' is missing");
  }

  @Test
  void aCacheOutsideTheBuildsDirectoryIsRefusedWithItsLine() {
    for (String cache : List.of("../../etc", "/root")) {
      assertThatThrownBy(() -> BuildFile.parse("steps:\n  - image: busybox\n    run: 'true'\n    caches:\n      - " + cache + "\n"))
          .hasMessageStartingWith("berth-build.yml line 5: cache '" + cache + "' is outside the build's directory");
    }
  }

  @Test
  void wrongShapesAndBrokenYamlSayWhere() {
    assertThatThrownBy(() -> BuildFile.parse("steps:\n  - image: [a]\n    run: x\n"))
        .hasMessage("berth-build.yml line 2: steps[0].image: a string expected");
    assertThatThrownBy(() -> BuildFile.parse("steps:\n  - image: a\n    env: {1X: y}\n    run: x\n"))
        .hasMessageContaining("line 3").hasMessageContaining("'1X' is not a variable name");
    assertThatThrownBy(() -> BuildFile.parse("steps: [\n")).hasMessageStartingWith("berth-build.yml is not valid YAML line");
  }
}
