package dev.converge.examples;

import dev.converge.batch.BatchChannel;
import java.util.concurrent.ExecutionException;

/**
 * The in-process order source: the {@link OrderStream} sent into a {@link BatchChannel} in real
 * time for {@code duration}, then the channel is completed.
 *
 * <p>When the channel is full, {@link BatchChannel#send} holds the producer back (backpressure). An
 * order keeps the arrival time it was due at, so the time it waits here counts in its latency; if
 * the producer falls behind its schedule it sends the overdue bursts at once, each still dated when
 * it was due.
 *
 * <p>Runs on its own thread ({@link #run()}); interrupting that thread stops it and completes the
 * channel. If the channel is closed under it (the pipeline failed), it stops quietly.
 */
final class OrderProducer implements Runnable {

  private final BatchChannel<Order> channel;
  private final ServiceMetrics metrics;
  private final long durationNanos;
  private final OrderStream stream;

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
    this.durationNanos = options.duration().toNanos();
    this.stream =
        new OrderStream(
            options.rate(),
            options.burst(),
            options.customers(),
            options.products(),
            options.seed());
  }

  /** Produces orders until the duration has passed, then completes the channel. */
  @Override
  public void run() {
    long start = System.nanoTime();
    try {
      while (stream.nextOffsetNanos() < durationNanos) {
        if (!Pacing.parkUntil(start + stream.nextOffsetNanos())) {
          break;
        }
        for (Order order : stream.nextBurst(start)) {
          send(order);
        }
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
    metrics.orderReceived();
    if (!channel.trySend(order)) {
      // Full: wait, interruptibly, until the iterator has made room.
      channel.send(order).toCompletableFuture().get();
    }
  }
}
