package io.berth.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyBucketsTest {
  @Test
  void bucketsAreInclusiveOfTheirUpperBound() {
    assertThat(LatencyBuckets.bucketOf(0)).isEqualTo(0);
    assertThat(LatencyBuckets.bucketOf(1)).isEqualTo(0);
    assertThat(LatencyBuckets.bucketOf(1.001)).isEqualTo(1);
    assertThat(LatencyBuckets.bucketOf(100)).isEqualTo(LatencyBuckets.BOUNDS_MS.indexOf(100));
    assertThat(LatencyBuckets.bucketOf(90_000)).isEqualTo(LatencyBuckets.COUNT - 1);
  }

  @Test
  void p99InterpolatesInsideTheBucketItFallsIn() {
    long[] counts = new long[LatencyBuckets.COUNT];
    counts[LatencyBuckets.bucketOf(4)] = 990; // (3, 5]
    counts[LatencyBuckets.bucketOf(120)] = 10; // (100, 150]
    // rank 990 is the last of the fast bucket: its upper bound
    assertThat(LatencyBuckets.quantile(counts, 0.99)).isEqualTo(5.0);
    // rank 995 is the middle of the slow bucket
    assertThat(LatencyBuckets.quantile(counts, 0.995)).isCloseTo(125.0, within(0.01));
  }

  @Test
  void mergedWindowsGiveTheP99OfAllRequestsNotTheMaxOfEach() {
    long[] fast = new long[LatencyBuckets.COUNT];
    fast[LatencyBuckets.bucketOf(2)] = 1000;
    long[] slow = new long[LatencyBuckets.COUNT];
    slow[LatencyBuckets.bucketOf(500)] = 5;
    long[] all = new long[LatencyBuckets.COUNT];
    LatencyBuckets.merge(all, fast);
    LatencyBuckets.merge(all, slow);
    assertThat(LatencyBuckets.quantile(slow, 0.99)).isGreaterThan(300);
    assertThat(LatencyBuckets.quantile(all, 0.99)).isLessThanOrEqualTo(2.0);
  }

  @Test
  void nothingCountedIsNaNAndTheOpenBucketIsAtLeastItsBound() {
    assertThat(LatencyBuckets.quantile(new long[LatencyBuckets.COUNT], 0.99)).isNaN();
    long[] counts = new long[LatencyBuckets.COUNT];
    counts[LatencyBuckets.COUNT - 1] = 3;
    assertThat(LatencyBuckets.quantile(counts, 0.99)).isEqualTo(60_000.0);
  }
}
