package dev.converge.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchChannel;
import dev.converge.batch.BatchIterator;
import dev.converge.batch.ManualScheduler;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batch meters fed by a real iterator, in virtual time. */
class BatchMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ManualScheduler time = new ManualScheduler();
  private final BatchChannel<Integer> channel = BatchChannel.bounded(1_000);

  @Test
  void recordsTheBatchesOfARealIteratorExactly() {
    BatchIterator<Integer> batches =
        BatchIterator.builder(channel)
            .maxSize(100)
            .maxWait(Duration.ofMillis(20))
            .prefetch(1)
            .scheduler(time)
            .metrics(MicrometerBatchMetrics.create(registry, "orders"))
            .build();
    // Two full batches at once; the second waits 5 ms for the consumer.
    send(0, 200);
    assertEquals(100, take(batches).size());
    time.advance(Duration.ofMillis(5));
    assertEquals(100, take(batches).size());
    // A partial batch lingers 20 ms, and the consumer is already waiting for it.
    CompletableFuture<Optional<Batch<Integer>>> third = batches.next();
    send(200, 230);
    time.advance(Duration.ofMillis(20));
    assertEquals(30, third.join().orElseThrow().size());
    // The remainder, at the end.
    send(230, 237);
    channel.complete();
    assertEquals(7, take(batches).size());
    assertEquals(Optional.empty(), batches.next().join());

    assertEquals(2, count("size"));
    assertEquals(1, count("time"));
    assertEquals(1, count("end"));
    DistributionSummary size = registry.get("converge.batch.size").summary();
    assertEquals(4, size.count());
    assertEquals(237, size.totalAmount());
    Timer fill = registry.get("converge.batch.fill").timer();
    assertEquals(Duration.ofMillis(20).toNanos(), fill.totalTime(TimeUnit.NANOSECONDS));
    assertEquals(Duration.ofMillis(20).toNanos(), fill.max(TimeUnit.NANOSECONDS));
    Timer wait = registry.get("converge.batch.wait").timer();
    assertEquals(4, wait.count());
    assertEquals(Duration.ofMillis(5).toNanos(), wait.totalTime(TimeUnit.NANOSECONDS));
    assertEquals(7, registry.get("converge.batch.held").gauge().value());
  }

  private void send(int fromInclusive, int toExclusive) {
    for (int i = fromInclusive; i < toExclusive; i++) {
      if (!channel.trySend(i)) {
        throw new AssertionError("the channel is full");
      }
    }
  }

  private static Batch<Integer> take(BatchIterator<Integer> batches) {
    CompletableFuture<Optional<Batch<Integer>>> next = batches.next();
    if (!next.isDone()) {
      throw new AssertionError("no batch ready");
    }
    return next.join().orElseThrow();
  }

  private double count(String reason) {
    return registry.get("converge.batches").tag("reason", reason).counter().count();
  }
}
