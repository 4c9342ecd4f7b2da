package dev.converge.batch;

import static dev.converge.batch.Fixture.failedAtOnce;
import static dev.converge.batch.Fixture.pending;
import static dev.converge.batch.Fixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** A BatchIterator built over a BatchChannel is fed directly: the channel's side of that contract. */
class DirectChannelTest {

  private final ManualScheduler time = new ManualScheduler();

  private BatchIterator<Integer> iterate(BatchChannel<Integer> channel, int maxSize, int prefetch) {
    return BatchIterator.builder(channel)
        .maxSize(maxSize)
        .maxWait(Duration.ofMillis(20))
        .prefetch(prefetch)
        .scheduler(time)
        .build();
  }

  @Test
  void pollThrowsWhileAnIteratorReadsTheChannelAndWorksAfterItCloses() {
    BatchChannel<Integer> channel = BatchChannel.bounded(10);
    BatchIterator<Integer> iterator = iterate(channel, 2, 0);
    channel.trySend(1);
    channel.trySend(2);
    channel.trySend(3); // the batch [1, 2] is full and unclaimed: 3 waits in the channel

    assertThrows(IllegalStateException.class, () -> channel.poll(5));

    assertEquals(List.of(1, 2), iterator.close());
    assertEquals(List.of(3), channel.poll(5).toCompletableFuture().join());
  }

  @Test
  void aChannelWithAPendingPollIsPolledNotFedDirectly() {
    BatchChannel<Integer> channel = BatchChannel.bounded(10);
    CompletableFuture<List<Integer>> outside = channel.poll(5).toCompletableFuture();
    BatchIterator<Integer> iterator = iterate(channel, 1, 1);

    channel.trySend(1); // the earlier poll is served first
    channel.trySend(2);

    assertEquals(List.of(1), outside.join());
    assertEquals(List.of(2), ready(iterator.next()).items());
  }

  @Test
  void aSecondIteratorOverAChannelThatIsReadFailsInsteadOfWaiting() {
    BatchChannel<Integer> channel = BatchChannel.bounded(10);
    iterate(channel, 4, 1);
    BatchIterator<Integer> second = iterate(channel, 4, 1);

    CompletableFuture<Optional<Batch<Integer>>> next = second.next();

    assertInstanceOf(IllegalStateException.class, failedAtOnce(next));
  }

  @Test
  void waitingSendersAreAcceptedInOrderAsTheIteratorMakesRoom() {
    BatchChannel<Integer> channel = BatchChannel.bounded(2);
    BatchIterator<Integer> iterator = iterate(channel, 2, 0);
    for (int i = 1; i <= 4; i++) {
      assertTrue(channel.trySend(i)); // 1, 2 fill the batch; 3, 4 fill the channel
    }
    CompletionStage<Void> fifth = channel.send(5);
    CompletionStage<Void> sixth = channel.send(6);
    assertFalse(fifth.toCompletableFuture().isDone());

    assertEquals(List.of(1, 2), ready(iterator.next()).items()); // 3, 4 move in; 5, 6 are accepted

    assertTrue(fifth.toCompletableFuture().isDone());
    assertTrue(sixth.toCompletableFuture().isDone());
    assertEquals(List.of(3, 4), ready(iterator.next()).items()); // 5, 6 move in
    assertEquals(List.of(5, 6), ready(iterator.next()).items());
    pending(iterator.next());
  }

  /** Counts the timers the iterator schedules. */
  private final class CountingScheduler implements Scheduler {
    int scheduled;

    @Override
    public long nanoTime() {
      return time.nanoTime();
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
      scheduled++;
      return time.schedule(task, delayNanos);
    }
  }

  @Test
  void oneLingerTimerServesABusyStreamAndNoneIsArmedForABatchThatFillsAtOnce() {
    CountingScheduler timers = new CountingScheduler();
    BatchChannel<Integer> channel = BatchChannel.bounded(100);
    for (int i = 0; i < 8; i++) {
      channel.trySend(i); // two full batches waiting before the iterator exists
    }
    BatchIterator<Integer> iterator =
        BatchIterator.builder(channel)
            .maxSize(4)
            .maxWait(Duration.ofMillis(20))
            .prefetch(2)
            .scheduler(timers)
            .build();
    assertEquals(0, timers.scheduled, "batches that fill in one move need no linger");

    assertEquals(List.of(0, 1, 2, 3), ready(iterator.next()).items());
    assertEquals(List.of(4, 5, 6, 7), ready(iterator.next()).items());
    for (int i = 8; i < 20; i++) {
      channel.trySend(i); // three batches, item by item
    }
    assertEquals(1, timers.scheduled, "one timer, armed by the first item, kept across batches");
    assertEquals(1, time.pendingTimers());
    time.advance(Duration.ofMillis(20));
    assertEquals(1, timers.scheduled, "no batch was filling when it fired: it lapsed");
    assertEquals(0, time.pendingTimers(), "none maxWait after the last item");
  }

  @Test
  void itemsSentBeforeTheIteratorIsBuiltAreTakenAtBuild() {
    BatchChannel<Integer> channel = BatchChannel.bounded(10);
    channel.trySend(1);
    channel.trySend(2);
    channel.trySend(3);
    channel.complete();

    BatchIterator<Integer> iterator = iterate(channel, 2, 1);

    assertEquals(List.of(1, 2), ready(iterator.next()).items());
    Batch<Integer> last = ready(iterator.next());
    assertEquals(List.of(3), last.items());
    assertEquals(Batch.Reason.END, last.reason());
    assertEquals(Optional.empty(), iterator.next().join());
  }
}
