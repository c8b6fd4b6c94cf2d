package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WrkTest {
  /** wrk 4.1's summary, as Debian's wrk printed it against a server that closed every connection. */
  static final String FAILING = """
      Running 1s test @ http://127.0.0.1:18999/cgi-bin/nope
        1 threads and 2 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     1.30ms    1.12ms   8.59ms   86.29%
          Req/Sec     1.59k   527.26     2.55k    80.00%
        Latency Distribution
           50%    0.89ms
           75%    1.44ms
           90%    2.89ms
           99%    5.64ms
        1580 requests in 1.00s, 356.65KB read
        Socket errors: connect 0, read 1580, write 0, timeout 3
        Non-2xx or 3xx responses: 12
      Requests/sec:   1576.76
      Transfer/sec:    355.92KB
      """;

  @Test
  void readsRequestsTimeFailuresAndP99() {
    Wrk.Result r = Wrk.Result.parse(FAILING);
    assertThat(r.requests()).isEqualTo(1580);
    assertThat(r.seconds()).isCloseTo(1.0, within(1e-9));
    assertThat(r.non2xx()).isEqualTo(12);
    assertThat(r.socketErrors()).isEqualTo(1583);
    assertThat(r.socketSplit()).isEqualTo("connect 0, read 1580, write 0, timeout 3");
    assertThat(r.failed()).isEqualTo(1595);
    assertThat(r.p99Millis()).isCloseTo(5.64, within(1e-9));
    assertThat(r.perSecond()).isCloseTo(1580, within(1e-9));
  }

  @Test
  void aCleanRunHasNoFailureLinesAndItsUnitsAreConverted() {
    String clean = """
          Latency Distribution
             50%  635.91us
             99%    1.21s
          90210 requests in 1.50m, 12.00MB read
        Requests/sec:   1002.33
        """;
    Wrk.Result r = Wrk.Result.parse(clean);
    assertThat(r.failed()).isZero();
    assertThat(r.seconds()).isCloseTo(90, within(1e-9));
    assertThat(r.p99Millis()).isCloseTo(1210, within(1e-9));
    assertThat(Wrk.Result.millis("635.91", "us")).isCloseTo(0.63591, within(1e-9));
  }

  @Test
  void withoutLatencyTheP99IsNaNAndWithoutASummaryItIsRefusedWithWhatWrkSaid() {
    assertThat(Wrk.Result.parse("  10 requests in 2.00s, 1KB read\n").p99Millis()).isNaN();
    assertThatThrownBy(() -> Wrk.Result.parse("unable to connect to 127.0.0.1:1 Connection refused\n"))
        .hasMessageContaining("wrk said:").hasMessageContaining("Connection refused");
  }
}
