package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Idle is idle: with no items arriving nothing is polled again, and no timer is pending once maxWait
 * has passed since the last item; while items arrive, one linger timer may stay armed across batches.
 */
class BatchIteratorIdleTest {

  @Test
  void noTimerIsPendingBeforeTheFirstItem() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    f.iterator.next();
    f.advance(Duration.ofHours(1).toNanos());
    assertEquals(0, f.time.pendingTimers());
  }

  @Test
  void exactlyOneTimerIsPendingWhileABatchLingers() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    f.send(1);
    f.send(2);
    assertEquals(1, f.time.pendingTimers());
  }

  @Test
  void atMostOneTimerIsPendingAfterASizeBatchAndNoneMaxWaitAfterTheLastItem() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.send(1, 2);
    assertTrue(f.time.pendingTimers() <= 1, "the linger may stay armed for the next batch");
    f.advance(Duration.ofMillis(20).toNanos());
    assertEquals(0, f.time.pendingTimers(), "none maxWait after the last item");
    f.advance(Duration.ofHours(1).toNanos());
    assertEquals(0, f.time.pendingTimers());
    assertEquals(Batch.Reason.SIZE, f.take().reason());
  }

  @Test
  void aBusyStreamKeepsOneTimerAcrossSizeBatchesAndTheLastBatchIsDueOnTime() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 10);
    long ms = Duration.ofMillis(1).toNanos();
    for (int i = 0; i < 8; i++) {
      f.send(2 * i, 2 * i + 1); // eight SIZE batches, 1 ms apart
      f.advance(ms);
      assertEquals(1, f.time.pendingTimers());
    }
    f.send(100); // the last item, at 8 ms: its batch is due by TIME at 28 ms, not before
    f.advance(20 * ms - 1);
    for (int i = 0; i < 8; i++) {
      assertEquals(Batch.Reason.SIZE, f.take().reason());
    }
    CompletableFuture<Optional<Batch<Integer>>> last = f.iterator.next();
    assertFalse(last.isDone(), "not early, though the timer armed for the first batch fired");
    assertEquals(1, f.time.pendingTimers(), "re-armed for what was left of the last batch");
    f.advance(1);
    assertEquals(Batch.Reason.TIME, last.join().orElseThrow().reason());
    assertEquals(List.of(100), last.join().orElseThrow().items());
    assertEquals(0, f.time.pendingTimers());
  }

  @Test
  void noTimerIsPendingAfterTheLingerRanOutAndTheStreamWentQuiet() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    f.send(1);
    f.advance(Duration.ofMillis(20).toNanos());
    f.advance(Duration.ofHours(1).toNanos());
    assertEquals(0, f.time.pendingTimers());
    assertEquals(List.of(1), f.take().items());
    assertEquals(0, f.time.pendingTimers());
  }

  @Test
  void idleIteratorDoesNotPollAgain() {
    int[] polls = {0};
    BatchChannel<Integer> channel = BatchChannel.bounded(10);
    BatchSource<Integer> counting =
        max -> {
          polls[0]++;
          return channel.poll(max);
        };
    ManualScheduler time = new ManualScheduler();
    BatchIterator<Integer> iterator =
        BatchIterator.builder(counting).scheduler(time).prefetch(3).build();
    iterator.next();
    iterator.next();
    time.advance(Duration.ofHours(1));
    assertEquals(1, polls[0]);
    assertEquals(0, time.pendingTimers());
  }

  @Test
  void closeCancelsThePendingLinger() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    f.send(1);
    f.iterator.close();
    assertEquals(0, f.time.pendingTimers());
  }
}
