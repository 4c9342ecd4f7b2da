package dev.converge.batch;

import static dev.converge.batch.Fixture.pending;
import static dev.converge.batch.Fixture.range;
import static dev.converge.batch.Fixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When a batch is emitted: SIZE, TIME, END, and never for any other reason. */
class BatchIteratorTriggersTest {

  private static final long WAIT = Duration.ofMillis(20).toNanos();

  @Test
  void fullBatchIsEmittedBySizeWithoutWaiting() {
    Fixture f = new Fixture(3, Duration.ofMillis(20), 1);
    f.send(1, 2, 3, 4);
    Batch<Integer> batch = f.take();
    assertEquals(List.of(1, 2, 3), batch.items());
    assertEquals(Batch.Reason.SIZE, batch.reason());
    assertEquals(0, batch.sequence());
  }

  @Test
  void partialBatchWaitsExactlyMaxWaitFromItsFirstItem() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    f.send(1);
    f.advance(WAIT / 2);
    f.send(2);
    f.advance(WAIT / 2 - 1);
    pending(next);
    f.advance(1);
    Batch<Integer> batch = ready(next);
    assertEquals(List.of(1, 2), batch.items());
    assertEquals(Batch.Reason.TIME, batch.reason());
  }

  @Test
  void lingerStartsWhenTheFirstItemIsReceivedNotWhenNextIsCalled() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    f.advance(WAIT * 5);
    f.send(1);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    f.advance(WAIT - 1);
    pending(next);
    f.advance(1);
    assertEquals(List.of(1), ready(next).items());
  }

  @Test
  void endEmitsTheRemainder() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    f.send(1, 2);
    f.channel.complete();
    Batch<Integer> batch = f.take();
    assertEquals(List.of(1, 2), batch.items());
    assertEquals(Batch.Reason.END, batch.reason());
    assertEquals(Optional.empty(), f.iterator.next().join());
  }

  @Test
  void endRightAfterAFullBatchEmitsNoEmptyBatch() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.send(1, 2);
    f.channel.complete();
    assertEquals(Batch.Reason.SIZE, f.take().reason());
    assertEquals(Optional.empty(), f.iterator.next().join());
  }

  @Test
  void endOfAnEmptySourceEmitsNoBatch() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.channel.complete();
    assertEquals(Optional.empty(), f.iterator.next().join());
    assertEquals(Optional.empty(), f.iterator.next().join());
  }

  @Test
  void waitingConsumerDoesNotFlushAPartialBatchEarly() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 0);
    f.send(1);
    CompletableFuture<Optional<Batch<Integer>>> first = f.iterator.next();
    CompletableFuture<Optional<Batch<Integer>>> second = f.iterator.next();
    f.advance(WAIT - 1);
    pending(first);
    pending(second);
  }

  @Test
  void maxWaitZeroHandsOverWhateverIsReadyWhenTheConsumerAsks() {
    Fixture f = new Fixture(10, Duration.ZERO, 0);
    f.send(1, 2);
    f.send(3);
    Batch<Integer> batch = f.take();
    assertEquals(List.of(1, 2, 3), batch.items());
    assertEquals(Batch.Reason.TIME, batch.reason());
    assertEquals(0, f.time.pendingTimers());
  }

  @Test
  void maxWaitZeroWithAWaitingConsumerDeliversTheFirstArrivalAtOnce() {
    Fixture f = new Fixture(10, Duration.ZERO, 0);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    f.send(1);
    assertEquals(List.of(1), ready(next).items());
  }

  @Test
  void maxWaitZeroStillCapsBatchesAtMaxSize() {
    Fixture f = new Fixture(2, Duration.ZERO, 0);
    f.send(1, 2, 3);
    assertEquals(List.of(1, 2), f.take().items());
    assertEquals(List.of(3), f.take().items());
  }

  @Test
  void sequenceNumbersStartAtZeroWithoutGaps() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.sendRange(0, 7);
    f.channel.complete();
    long expected = 0;
    for (Optional<Batch<Integer>> b = f.iterator.next().join();
        b.isPresent();
        b = f.iterator.next().join()) {
      assertEquals(expected++, b.get().sequence());
    }
    assertEquals(4, expected);
  }

  @Test
  void batchItemsCannotBeModified() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.send(1, 2);
    List<Integer> items = f.take().items();
    assertThrows(UnsupportedOperationException.class, () -> items.add(3));
  }

  @Test
  void maxSizeIntegerMaxValueWorks() {
    Fixture f = new Fixture(Integer.MAX_VALUE, Duration.ofMillis(20), 3);
    f.sendRange(0, 1_000);
    f.advance(WAIT);
    assertEquals(range(0, 1_000), f.take().items());
  }

  @Test
  void timerFiredForABatchAlreadyHandedOverBySizeDoesNotTouchTheNextBatch() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    f.send(1, 2);
    assertEquals(Batch.Reason.SIZE, f.take().reason());
    f.advance(WAIT / 2);
    f.send(3);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    f.advance(WAIT / 2);
    pending(next);
    f.advance(WAIT / 2);
    assertEquals(List.of(3), ready(next).items());
  }

  @Test
  void everythingRunsOnTheTestThread() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    Thread test = Thread.currentThread();
    List<Thread> threads = new java.util.ArrayList<>();
    f.iterator.next().thenRun(() -> threads.add(Thread.currentThread()));
    f.send(1);
    f.advance(WAIT);
    assertEquals(List.of(test), threads);
    assertTrue(f.iterator.close().isEmpty());
  }
}
