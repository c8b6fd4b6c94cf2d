package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.ManifestYaml;
import io.berth.core.app.AppManifest;
import org.junit.jupiter.api.Test;

class AutoscaleBenchTest {
  @Test
  void theBurningAppsManifestIsValidAndItsCgiScriptStartsAtTheFirstColumn() {
    AppManifest m = ManifestYaml.read(AutoscaleBench.manifest("auto"));
    assertThat(m.instances()).isEqualTo(AutoscaleBench.MIN);
    assertThat(m.routes()).containsExactly("auto.berth.local");
    assertThat(m.command()).hasSize(3);
    String script = m.command().get(2);
    assertThat(script).contains("\n#!/bin/sh\nhead -c 2000000 /dev/zero | busybox sha256sum > /dev/null\n")
        .contains("printf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' \"$INSTANCE_INDEX\"\nEOF\n")
        .endsWith("exec httpd -f -p 8080 -h /www\n");
  }
}
