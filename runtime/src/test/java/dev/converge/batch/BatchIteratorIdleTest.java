package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Idle is idle: with no items arriving, no timer is pending and nothing is polled again. */
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
  void noTimerIsPendingAfterTheBatchCompletesBySize() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.send(1, 2);
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
    BatchSource<Integer> counting = max -> {
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
