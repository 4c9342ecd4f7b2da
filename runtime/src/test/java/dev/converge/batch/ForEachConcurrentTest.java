package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * forEach(maxInFlight, handler), one behaviour per test, everything on the test thread in virtual
 * time: up to maxInFlight stages outstanding, completing in any order, and the failure, close and
 * cancellation rules.
 */
class ForEachConcurrentTest {

  private final IllegalStateException boom = new IllegalStateException("boom");
  private final IllegalStateException later = new IllegalStateException("later");

  @Test
  void maxInFlightBelowOneIsRejected() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    assertThrows(IllegalArgumentException.class, () -> f.iterator.forEach(0, held));
    assertThrows(IllegalArgumentException.class, () -> f.iterator.forEach(-1, held));
    assertThrows(NullPointerException.class, () -> f.iterator.forEach(2, null));
  }

  @Test
  void handsOutUpToMaxInFlightBatchesBeforeAnyStageCompletes() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 2);
    HeldStages held = new HeldStages();
    f.iterator.forEach(3, held);
    f.sendRange(0, 10);
    assertEquals(List.of(0L, 1L, 2L), held.sequences());
    assertEquals(List.of(0L, 1L, 2L), held.outstanding());
  }

  @Test
  void aStageCompletingOutOfOrderFreesItsSlotForTheNextBatch() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 2);
    HeldStages held = new HeldStages();
    f.iterator.forEach(3, held);
    f.sendRange(0, 10);
    held.complete(2);
    assertEquals(List.of(0L, 1L, 2L, 3L), held.sequences());
    held.complete(1);
    held.complete(3);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), held.sequences());
    assertEquals(List.of(0L, 4L, 5L), held.outstanding());
    assertEquals(3, held.maxOutstanding());
  }

  @Test
  void theResultCompletesOnlyOnceTheStreamEndedAndEveryStageCompleted() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(4, held);
    f.sendRange(0, 4);
    f.channel.complete();
    assertEquals(List.of(0L, 1L, 2L, 3L), held.sequences());
    held.complete(3);
    held.complete(1);
    held.complete(2);
    assertFalse(done.isDone(), "batch 0 is still being handled");
    held.complete(0);
    assertTrue(done.isDone());
    assertFalse(done.isCompletedExceptionally());
    assertEquals(Fixture.range(0, 4), held.items());
  }

  @Test
  void theIteratorKeepsPrefetchingWhileEverySlotIsTaken() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 2);
    HeldStages held = new HeldStages();
    f.iterator.forEach(2, held);
    f.sendRange(0, 100);
    assertEquals(List.of(0L, 1L), held.sequences());
    // 2 batches handed out, 2 complete batches prefetched and a third assembled: (2 + 2 + 1) * 2.
    assertEquals(10, f.iterator.receivedCount());
    f.iterator.checkInvariants();
  }

  @Test
  void aBatchWhoseLingerRanOutWhileEverySlotWasTakenIsHandedOutWhenOneFrees() {
    Fixture f = new Fixture(3, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    f.iterator.forEach(2, held);
    f.sendRange(0, 6);
    f.send(6);
    f.advance(Duration.ofMillis(20).toNanos());
    f.send(7);
    assertEquals(List.of(0L, 1L), held.sequences());
    held.complete(1);
    assertEquals(List.of(0L, 1L, 2L), held.sequences());
    assertEquals(Batch.Reason.TIME, held.last().reason());
    assertEquals(List.of(6), held.last().items());
  }

  @Test
  void theFirstFailureStopsTheHandOutAndWaitsForTheStagesInFlight() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 2);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(3, held);
    f.sendRange(0, 10);
    held.fail(1, boom);
    assertEquals(List.of(0L, 1L, 2L), held.sequences(), "no batch is handed out after a failure");
    assertFalse(done.isDone(), "batches 0 and 2 are still being handled");
    assertTrue(f.channel.trySend(10), "the iterator stays open while stages are in flight");
    held.complete(0);
    assertFalse(done.isDone());
    held.complete(2);
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
    assertEquals(0, boom.getSuppressed().length);
    assertEquals(List.of(0L, 1L, 2L), held.sequences());
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(11), "iterator closed");
  }

  @Test
  void failuresOfTheStagesInFlightAfterTheFirstAreSuppressedInOrder() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(4, held);
    f.sendRange(0, 8);
    IllegalArgumentException last = new IllegalArgumentException("last");
    held.fail(2, boom);
    held.fail(0, new CompletionException(later));
    held.complete(3);
    held.fail(1, last);
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
    assertArrayEquals(new Throwable[] {later, last}, boom.getSuppressed());
  }

  @Test
  void theSameExceptionFailingSeveralStagesIsNotSuppressedIntoItself() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(3, held);
    f.sendRange(0, 6);
    held.fail(0, boom);
    held.fail(1, later);
    held.fail(2, later);
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
    assertArrayEquals(new Throwable[] {later}, boom.getSuppressed());
  }

  @Test
  void aBatchArrivingAfterTheFailureIsNotHandedOut() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(3, held);
    f.sendRange(0, 2); // batches 0 and 1 handed out, a next() waits for batch 2
    held.fail(0, boom);
    f.send(2);
    assertEquals(List.of(0L, 1L), held.sequences());
    held.complete(1);
    assertSame(boom, Fixture.failedAtOnce(done));
  }

  @Test
  void aFailureWhileANextWaitsOnAnIdleStreamEndsTheLoopOnceTheStagesComplete() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(3, held);
    f.sendRange(0, 2); // batches 0 and 1 handed out, a next() waits; no more items come
    held.fail(0, boom);
    assertFalse(done.isDone());
    held.complete(1);
    assertSame(boom, Fixture.failedAtOnce(done));
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(2), "iterator closed");
  }

  @Test
  void aHandlerThrowingStopsTheHandOutAndWaitsForTheStagesInFlight() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done =
        f.iterator.forEach(
            3,
            batch -> {
              if (batch.sequence() == 2) {
                throw boom;
              }
              return held.apply(batch);
            });
    f.sendRange(0, 6);
    assertEquals(List.of(0L, 1L), held.sequences());
    assertFalse(done.isDone());
    held.fail(1, later);
    held.complete(0);
    assertSame(boom, Fixture.failedAtOnce(done));
    assertArrayEquals(new Throwable[] {later}, boom.getSuppressed());
    assertEquals(List.of(0L, 1L), held.sequences());
  }

  @Test
  void aHandlerReturningNullFailsWithNullPointerExceptionAfterTheStagesInFlight() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done =
        f.iterator.forEach(2, batch -> batch.sequence() == 1 ? null : held.apply(batch));
    f.sendRange(0, 4);
    assertFalse(done.isDone());
    held.complete(0);
    assertInstanceOf(NullPointerException.class, Fixture.failedAtOnce(done));
  }

  @Test
  void aSourceFailureWaitsForTheStagesInFlightAndLeavesTheIteratorFailed() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(3, held);
    f.sendRange(0, 2);
    f.channel.fail(boom);
    assertEquals(List.of(0L, 1L), held.sequences());
    assertFalse(done.isDone(), "the source failure waits for the stages in flight");
    held.fail(1, later);
    held.complete(0);
    assertSame(boom, Fixture.failedAtOnce(done));
    assertArrayEquals(new Throwable[] {later}, boom.getSuppressed());
    assertSame(boom, Fixture.failedAtOnce(f.iterator.next()), "failed, not closed");
  }

  @Test
  void closeDuringTheLoopStopsTheHandOutAndTheResultAwaitsTheStagesInFlight() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 2);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(2, held);
    f.sendRange(0, 10);
    List<Integer> leftovers = f.iterator.close();
    assertEquals(List.of(2, 3, 4), leftovers, "two batches prefetched, one assembled");
    held.complete(1);
    assertEquals(List.of(0L, 1L), held.sequences());
    assertFalse(done.isDone());
    held.complete(0);
    assertTrue(done.isDone());
    assertFalse(done.isCompletedExceptionally());
    List<Integer> all = new ArrayList<>(held.items());
    all.addAll(leftovers);
    all.addAll(f.channel.poll(100).toCompletableFuture().join());
    assertEquals(Fixture.range(0, 10), all, "nothing lost");
  }

  @Test
  void closeDuringTheLoopWhileANextWaitsEndsTheLoopOnceTheStagesComplete() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(3, held);
    f.sendRange(0, 2);
    f.iterator.close();
    assertFalse(done.isDone());
    held.fail(0, boom);
    held.complete(1);
    assertSame(boom, Fixture.failedAtOnce(done), "a stage failing after close fails the loop");
  }

  @Test
  void cancellingTheResultClosesTheIteratorAndLeavesTheStagesInFlightAlone() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(3, held);
    f.sendRange(0, 6);
    assertTrue(done.cancel(false));
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(6), "iterator closed");
    held.fail(1, boom);
    held.complete(0);
    held.fail(2, later);
    assertEquals(List.of(0L, 1L, 2L), held.sequences());
    assertTrue(done.isCancelled());
    assertEquals(0, boom.getSuppressed().length, "outcomes after cancellation are ignored");
  }

  @Test
  void completingTheResultFromOutsideClosesTheIteratorAsCancellingDoes() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    HeldStages held = new HeldStages();
    CompletableFuture<Void> done = f.iterator.forEach(2, held);
    f.sendRange(0, 4);
    done.completeExceptionally(new TimeoutException("as orTimeout would"));
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(4), "iterator closed");
    held.complete(0);
    assertEquals(List.of(0L, 1L), held.sequences());
  }

  @Test
  void aSourceWhoseCloseThrowsAfterAHandlerFailureAddsThatToTheFailure() {
    BatchChannel<Integer> channel = BatchChannel.bounded(100);
    IllegalStateException closeFailure = new IllegalStateException("close");
    BatchSource<Integer> source =
        new BatchSource<>() {
          @Override
          public CompletionStage<List<Integer>> poll(int max) {
            return channel.poll(max);
          }

          @Override
          public void close() {
            channel.close();
            throw closeFailure;
          }
        };
    BatchIterator<Integer> iterator =
        BatchIterator.builder(source).maxSize(1).scheduler(new ManualScheduler()).build();
    CompletableFuture<Void> done =
        iterator.forEach(2, batch -> CompletableFuture.failedFuture(boom));
    channel.trySend(1);
    assertSame(boom, Fixture.failedAtOnce(done));
    assertArrayEquals(new Throwable[] {closeFailure}, boom.getSuppressed());
  }

  @Test
  void synchronousStagesOverALongStreamDoNotGrowTheStack() {
    CountingSource source = new CountingSource();
    BatchIterator<Long> iterator =
        BatchIterator.builder(source)
            .maxSize(1)
            .prefetch(1)
            .scheduler(new ManualScheduler())
            .build();
    long[] count = {0};
    List<CompletableFuture<Void>> held = new ArrayList<>();
    CompletableFuture<Void> done =
        iterator.forEach(
            4,
            batch -> {
              if (++count[0] == 100_000) {
                iterator.close();
              }
              if (batch.sequence() < 3) {
                CompletableFuture<Void> stage =
                    new CompletableFuture<>(); // 3 slots stay taken throughout
                held.add(stage);
                return stage;
              }
              return CompletableFuture.completedFuture(null);
            });
    assertEquals(100_000, count[0]);
    assertFalse(done.isDone());
    held.forEach(stage -> stage.complete(null));
    done.join();
  }
}
