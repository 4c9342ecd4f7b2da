package dev.converge.examples;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What the service counts while it runs: orders received and committed, how many of those were
 * stored for the first time, batches, fallbacks, retries and outages of what it depends on, and the
 * latency of every committed order from its intended arrival to its batch's commit, in an
 * HdrHistogram (three significant digits).
 *
 * <p>Latency starts at the arrival the order was due at, not at the moment the producer got round
 * to sending it: when the pipeline pushes back and sending blocks, the orders due meanwhile still
 * count from their own arrival times. Measuring from after the blocked send would hide exactly the
 * stalls the report is for (coordinated omission).
 *
 * <p>Thread-safe: the source, the batch pipeline and the progress printer use it concurrently.
 * Counts read by {@link #snapshot()} may be a moment apart from each other, which is fine for a
 * progress line; the final report reads them after every writer has stopped.
 */
final class ServiceMetrics {

  private final LongAdder received = new LongAdder();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong fallbackBatches = new AtomicLong();
  private final AtomicLong fallbackOrders = new AtomicLong();
  private final AtomicLong lastCommitNanos = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong outages = new AtomicLong();
  private final AtomicLong outageNanos = new AtomicLong();
  // Microseconds; grows its range as needed.
  private final Histogram latencies = new Histogram(3);

  /** Counts one order received from the source, before it can commit. */
  void orderReceived() {
    received.increment();
  }

  /**
   * Counts orders received from the source, before they can commit.
   *
   * @param count how many
   */
  void ordersReceived(int count) {
    received.add(count);
  }

  /**
   * Counts a committed batch and the latency of each of its orders.
   *
   * @param orders the batch's orders
   * @param newlyStored how many of them were not stored before (the others were redelivered)
   * @param origin where its prices came from
   * @param commitNanos when its transaction committed, on the {@link System#nanoTime()} clock
   */
  void batchCommitted(List<Order> orders, int newlyStored, PriceOrigin origin, long commitNanos) {
    synchronized (latencies) {
      for (Order order : orders) {
        latencies.recordValue(Math.max(0, (commitNanos - order.arrivalNanos()) / 1_000));
      }
    }
    if (origin == PriceOrigin.FALLBACK) {
      fallbackBatches.incrementAndGet();
      fallbackOrders.addAndGet(orders.size());
    }
    lastCommitNanos.accumulateAndGet(commitNanos, (a, b) -> a == 0 || b - a > 0 ? b : a);
    batches.incrementAndGet();
    stored.addAndGet(newlyStored);
    committed.addAndGet(orders.size());
  }

  /** Counts a call to a dependency run again after a transient failure. */
  void retried() {
    retries.incrementAndGet();
  }

  /** Counts an outage of a dependency, as it starts. */
  void outageStarted() {
    outages.incrementAndGet();
  }

  /**
   * Adds an outage's length, as it ends.
   *
   * @param nanos how long it lasted
   */
  void outageEnded(long nanos) {
    outageNanos.addAndGet(nanos);
  }

  /**
   * Returns when the last batch committed.
   *
   * @param otherwise what to return if none has
   * @return its commit time on the {@link System#nanoTime()} clock, or {@code otherwise}
   */
  long lastCommitNanos(long otherwise) {
    long last = lastCommitNanos.get();
    return last == 0 ? otherwise : last;
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
      p50 = latencies.getValueAtPercentile(50);
      p99 = latencies.getValueAtPercentile(99);
      max = latencies.getMaxValue();
    }
    return new Snapshot(
        received.sum(),
        committed.get(),
        stored.get(),
        batches.get(),
        fallbackBatches.get(),
        fallbackOrders.get(),
        p50,
        p99,
        max,
        retries.get(),
        outages.get(),
        outageNanos.get());
  }

  /**
   * The counts at one moment.
   *
   * @param received orders the source handed over
   * @param committed orders in committed batches
   * @param stored of those, orders whose row was written now (the rest were stored before)
   * @param batches batches committed
   * @param fallbackBatches batches priced by the fallback cache
   * @param fallbackOrders orders in those batches
   * @param p50Micros median latency from intended arrival to commit
   * @param p99Micros 99th percentile latency
   * @param maxMicros largest latency
   * @param retries calls to a dependency run again after a transient failure
   * @param outages outages of a dependency, ended or not
   * @param outageNanos how long the ended outages lasted, together
   */
  record Snapshot(
      long received,
      long committed,
      long stored,
      long batches,
      long fallbackBatches,
      long fallbackOrders,
      long p50Micros,
      long p99Micros,
      long maxMicros,
      long retries,
      long outages,
      long outageNanos) {

    /**
     * Returns the mean batch size.
     *
     * @return committed orders per batch, 0 before the first batch
     */
    double meanBatchSize() {
      return batches == 0 ? 0 : (double) committed / batches;
    }

    /**
     * Returns the orders received but not yet committed.
     *
     * @return orders in the channel, in batches being assembled, and in batches being processed
     */
    long inFlight() {
      return received - committed;
    }
  }
}
