package dev.converge.examples;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the service counts while it runs: orders produced and committed, batches, fallbacks, and the
 * latency of every committed order from its arrival to its batch's commit.
 *
 * <p>Thread-safe: the producer, the batch pipeline and the progress printer use it concurrently.
 * Counts read by {@link #snapshot()} may be a moment apart from each other, which is fine for a
 * progress line; the final report reads them after every writer has stopped.
 */
final class ServiceMetrics {

  private final LongAdder produced = new LongAdder();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong fallbackBatches = new AtomicLong();
  private final AtomicLong fallbackOrders = new AtomicLong();
  private final LatencyHistogram latencies = new LatencyHistogram();

  /** Counts one order the producer is about to send, so it is counted before it can commit. */
  void orderProduced() {
    produced.increment();
  }

  /**
   * Counts a committed batch and the latency of each of its orders.
   *
   * @param orders the batch's orders
   * @param origin where its prices came from
   * @param commitNanos when its transaction committed, on the {@link System#nanoTime()} clock
   */
  void batchCommitted(List<Order> orders, PriceOrigin origin, long commitNanos) {
    synchronized (latencies) {
      for (Order order : orders) {
        latencies.record((commitNanos - order.arrivalNanos()) / 1_000);
      }
    }
    if (origin == PriceOrigin.FALLBACK) {
      fallbackBatches.incrementAndGet();
      fallbackOrders.addAndGet(orders.size());
    }
    batches.incrementAndGet();
    committed.addAndGet(orders.size());
  }

  /**
   * Reads the counts.
   *
   * @return the counts and latency percentiles so far
   */
  Snapshot snapshot() {
    long p50;
    long p99;
    long max;
    synchronized (latencies) {
      p50 = latencies.percentileMicros(0.50);
      p99 = latencies.percentileMicros(0.99);
      max = latencies.maxMicros();
    }
    return new Snapshot(produced.sum(), committed.get(), batches.get(), fallbackBatches.get(),
        fallbackOrders.get(), p50, p99, max);
  }

  /**
   * The counts at one moment.
   *
   * @param produced orders the producer created
   * @param committed orders committed to the database
   * @param batches batches committed
   * @param fallbackBatches batches priced by the fallback cache
   * @param fallbackOrders orders in those batches
   * @param p50Micros median latency from arrival to commit
   * @param p99Micros 99th percentile latency
   * @param maxMicros largest latency
   */
  record Snapshot(long produced, long committed, long batches, long fallbackBatches,
      long fallbackOrders, long p50Micros, long p99Micros, long maxMicros) {

    /**
     * Returns the mean batch size.
     *
     * @return committed orders per batch, 0 before the first batch
     */
    double meanBatchSize() {
      return batches == 0 ? 0 : (double) committed / batches;
    }

    /**
     * Returns the orders produced but not yet committed.
     *
     * @return orders in the channel, in batches being assembled, and in batches being processed
     */
    long inFlight() {
      return produced - committed;
    }
  }
}
