package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Docker's one-shot stats JSON, as dockerd 20.10 answers on cgroup v1 and v2 hosts. */
class DockerStatsTest {
  static ContainerStats parse(String json) throws Exception {
    return DockerStats.parse(DockerErrors.JSON.readTree(json)).orElseThrow();
  }

  @Test
  void readsCgroupV1Counters() throws Exception {
    ContainerStats s = parse("""
        {"read":"2026-12-02T03:00:00.5Z","pids_stats":{"current":3},
         "networks":{"eth0":{"rx_bytes":5338,"tx_bytes":648},"eth5":{"rx_bytes":4641,"tx_bytes":690}},
         "memory_stats":{"stats":{"total_inactive_file":1000,"cache":5000},"usage":6537216,"limit":67108864},
         "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"Read","value":4096},
           {"major":8,"minor":0,"op":"Write","value":8192},{"major":8,"minor":0,"op":"Total","value":12288}]},
         "cpu_stats":{"cpu_usage":{"total_usage":100215355,"percpu_usage":[1,2,3,4]},"system_cpu_usage":739306590000000,"online_cpus":4},
         "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":0}}""");
    assertThat(s).isEqualTo(new ContainerStats(1_796_180_400_500_000_000L, 100215355, 739306590000000L, 4, 6537216 - 1000, 67108864,
        5338 + 4641, 648 + 690, 4096, 8192, 3));
  }

  @Test
  void readsCgroupV2CountersAndCountsCpusWithoutOnlineCpus() throws Exception {
    ContainerStats s = parse("""
        {"read":"2026-12-02T03:00:00Z","pids_stats":{"current":1},"memory_stats":{"stats":{"inactive_file":2048},"usage":10240,"limit":1024000},
         "blkio_stats":{"io_service_bytes_recursive":[{"op":"read","value":1},{"op":"write","value":2}]},
         "cpu_stats":{"cpu_usage":{"total_usage":5,"percpu_usage":[1,2]},"system_cpu_usage":10}}""");
    assertThat(s.onlineCpus()).isEqualTo(2);
    assertThat(s.memoryBytes()).isEqualTo(8192);
    assertThat(s.blockReadBytes()).isEqualTo(1);
    assertThat(s.blockWriteBytes()).isEqualTo(2);
    assertThat(s.netRxBytes()).isZero();
  }

  @Test
  void aStoppedContainersZeroReadingIsNoReading() throws Exception {
    assertThat(DockerStats.parse(DockerErrors.JSON.readTree("{\"read\":\"0001-01-01T00:00:00Z\",\"cpu_stats\":{}}"))).isEmpty();
  }
}
