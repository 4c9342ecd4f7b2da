package dev.converge.examples;

import dev.converge.batch.BatchChannel;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The order stream: bursty, seeded arrivals sent into a {@link BatchChannel} for {@code duration},
 * then the channel is completed.
 *
 * <p>Arrivals come in bursts of 1..2*burst-1 orders (mean {@code burst}); the gaps between bursts
 * are exponentially distributed with a mean that gives {@code rate} orders per second on average.
 * That is the traffic a batch iterator is for: quiet spells that the linger ({@code maxWait})
 * bounds, and bursts that fill whole batches. When the channel is full, {@link BatchChannel#send}
 * holds the producer back (backpressure) and the order's latency keeps counting from its arrival.
 *
 * <p>Runs on its own thread ({@link #run()}); interrupting that thread stops it and completes the
 * channel. If the channel is closed under it (the pipeline failed), it stops quietly.
 */
final class OrderProducer implements Runnable {

  private final BatchChannel<Order> channel;
  private final ServiceMetrics metrics;
  private final int rate;
  private final int burst;
  private final long durationNanos;
  private final int customers;
  private final int products;
  private final SplittableRandom random;

  /**
   * Creates the producer.
   *
   * @param channel where orders go
   * @param metrics counts every order sent
   * @param options rate, burst, duration, seed, and the customer and product ranges
   */
  OrderProducer(BatchChannel<Order> channel, ServiceMetrics metrics, ServiceOptions options) {
    this.channel = channel;
    this.metrics = metrics;
    this.rate = options.rate();
    this.burst = options.burst();
    this.durationNanos = options.duration().toNanos();
    this.customers = options.customers();
    this.products = options.products();
    this.random = new SplittableRandom(options.seed());
  }

  /** Produces orders until the duration has passed, then completes the channel. */
  @Override
  public void run() {
    long start = System.nanoTime();
    long nextBurst = start;
    long nextId = 1;
    try {
      while (nextBurst - start < durationNanos) {
        if (!parkUntil(nextBurst)) {
          break;
        }
        int size = 1 + random.nextInt(2 * burst - 1);
        for (int i = 0; i < size; i++) {
          send(new Order(nextId++, 1 + random.nextInt(customers), 1 + random.nextInt(products),
              1 + random.nextInt(5), System.nanoTime()));
        }
        double gapSeconds = -Math.log(1.0 - random.nextDouble()) * size / rate;
        nextBurst += (long) (gapSeconds * 1e9);
      }
      channel.complete();
    } catch (InterruptedException e) {
      // Told to stop: whatever was sent stays in the channel for the iterator's close to return.
      Thread.currentThread().interrupt();
      channel.complete();
    } catch (ExecutionException | IllegalStateException e) {
      // The channel was closed under us (send's stage failed, or trySend threw): the pipeline has
      // stopped and reports why; there is nobody left to produce for.
    }
  }

  private void send(Order order) throws InterruptedException, ExecutionException {
    metrics.orderProduced();
    if (!channel.trySend(order)) {
      // Full: wait, interruptibly, until the iterator has made room.
      channel.send(order).toCompletableFuture().get();
    }
  }

  /** Waits until the given time; false if interrupted first. */
  private static boolean parkUntil(long deadline) {
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return !Thread.currentThread().isInterrupted();
  }

}
