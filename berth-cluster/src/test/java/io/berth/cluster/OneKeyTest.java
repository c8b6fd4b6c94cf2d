package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OneKeyTest {
  private static final Instant NOW = Instant.now();
  private static final Identity NODE = ClusterCa.create("test", NOW).newIdentity("n1", Role.NODE, Duration.ofDays(1), NOW);

  @Test
  void presentsItsKeyAndChainForTheKeysAlgorithm() {
    OneKey keys = new OneKey(NODE);
    String alias = keys.chooseClientAlias(new String[] {"RSA", NODE.key().getAlgorithm()}, null, null);
    assertThat(alias).isEqualTo(OneKey.ALIAS);
    assertThat(keys.chooseServerAlias(NODE.key().getAlgorithm() + "_" + NODE.key().getAlgorithm(), null, null)).isEqualTo(OneKey.ALIAS);
    assertThat(keys.getPrivateKey(alias)).isSameAs(NODE.key());
    assertThat(keys.getCertificateChain(alias)).containsExactly(NODE.certificate(), NODE.ca());
  }

  @Test
  void offersNothingForAnotherAlgorithmOrAlias() {
    OneKey keys = new OneKey(NODE);
    assertThat(keys.chooseClientAlias(new String[] {"RSA"}, null, null)).isNull();
    assertThat(keys.chooseServerAlias("RSA", null, null)).isNull();
    assertThat(keys.getServerAliases("RSA", null)).isNull();
    assertThat(keys.getPrivateKey("other")).isNull();
    assertThat(keys.getCertificateChain("other")).isNull();
  }
}
