package dev.converge.bench;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchChannel;
import dev.converge.batch.BatchIterator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How late a lingering batch is emitted. A slow trickle (one item every 5 ms) feeds a {@link
 * BatchChannel}; the iterator (maxSize 256, maxWait 20 ms, the default system scheduler) can only
 * emit by TIME. For each batch the overshoot is emit time − first item's arrival − maxWait, where
 * the arrival is read just before {@code trySend} and the emit time inside the callback of the
 * {@code next()} future, on the thread that completed it (so a consumer's wake-up is not counted).
 */
final class LingerStudy {

  private static final Duration MAX_WAIT = Duration.ofMillis(20);
  private static final long TRICKLE_MICROS = 5_000;

  private final ScheduledExecutorService producer;

  LingerStudy(ScheduledExecutorService producer) {
    this.producer = producer;
  }

  /**
   * Collects the overshoot of {@code warmup + samples} batches and returns the last {@code samples},
   * sorted, in nanoseconds.
   */
  long[] overshootNanos(int warmup, int samples) throws InterruptedException {
    BatchChannel<Long> channel = BatchChannel.bounded(1024);
    BatchIterator<Long> iterator =
        BatchIterator.builder(channel).maxSize(256).maxWait(MAX_WAIT).prefetch(1).build();
    ScheduledFuture<?> trickle =
        producer.scheduleAtFixedRate(
            () -> channel.trySend(System.nanoTime()), 0, TRICKLE_MICROS, TimeUnit.MICROSECONDS);
    long[] overshoot = new long[warmup + samples];
    CountDownLatch done = new CountDownLatch(1);
    consume(iterator, overshoot, 0, done);
    done.await();
    trickle.cancel(false);
    iterator.close();
    long[] measured = Arrays.copyOfRange(overshoot, warmup, overshoot.length);
    Arrays.sort(measured);
    return measured;
  }

  /** Asks for batch {@code index}, records its overshoot where it is emitted, then asks again. */
  private static void consume(
      BatchIterator<Long> iterator, long[] overshoot, int index, CountDownLatch done) {
    CompletableFuture<Optional<Batch<Long>>> next = iterator.next();
    next.thenAccept(
        batch -> {
          long emitted = System.nanoTime();
          long firstArrival = batch.orElseThrow().items().get(0);
          overshoot[index] = emitted - firstArrival - MAX_WAIT.toNanos();
          if (index + 1 == overshoot.length) {
            done.countDown();
          } else {
            consume(iterator, overshoot, index + 1, done);
          }
        });
  }

  /** The value at quantile {@code q} (0..1) of sorted samples, nearest rank. */
  static long percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
