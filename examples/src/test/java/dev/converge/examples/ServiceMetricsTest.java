package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counts and latency percentiles, each order's latency taken from its due arrival to its commit. */
class ServiceMetricsTest {

  private static final long MS = 1_000_000L;

  @Test
  void latencyRunsFromEachOrdersDueTimeToItsBatchsCommit() {
    ServiceMetrics metrics = new ServiceMetrics();
    long commit = 10_000 * MS;
    // 100 orders due 1..100 ms before the commit: a producer held back by a full pipeline sends
    // the late ones in a rush, but each still counts from when it was due.
    List<Order> orders = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      orders.add(new Order(i, 1, 1, 1, commit - i * MS));
    }
    metrics.ordersReceived(orders.size());
    metrics.batchCommitted(orders, 90, PriceOrigin.FALLBACK, commit);

    ServiceMetrics.Snapshot snapshot = metrics.snapshot();
    assertWithin(50_000, snapshot.p50Micros());
    assertWithin(99_000, snapshot.p99Micros());
    assertWithin(100_000, snapshot.maxMicros());
    assertEquals(100, snapshot.received());
    assertEquals(100, snapshot.committed());
    assertEquals(90, snapshot.stored());
    assertEquals(1, snapshot.batches());
    assertEquals(1, snapshot.fallbackBatches());
    assertEquals(100, snapshot.fallbackOrders());
    assertEquals(0, snapshot.inFlight());
    assertEquals(commit, metrics.lastCommitNanos(-1));
  }

  @Test
  void lastCommitIsTheLatestOfBatchesCommittingOutOfOrder() {
    ServiceMetrics metrics = new ServiceMetrics();
    assertEquals(-1, metrics.lastCommitNanos(-1));
    List<Order> one = List.of(new Order(1, 1, 1, 1, 0));
    metrics.batchCommitted(one, 1, PriceOrigin.PRIMARY, 5 * MS);
    metrics.batchCommitted(one, 0, PriceOrigin.PRIMARY, 3 * MS);
    assertEquals(5 * MS, metrics.lastCommitNanos(-1));
    assertEquals(2.0 / 2, metrics.snapshot().meanBatchSize());
  }

  /** HdrHistogram with three significant digits: within 0.1 %. */
  private static void assertWithin(long expectedMicros, long actualMicros) {
    assertTrue(
        Math.abs(actualMicros - expectedMicros) <= expectedMicros / 1000 + 1,
        "expected about " + expectedMicros + " µs, was " + actualMicros);
  }
}
