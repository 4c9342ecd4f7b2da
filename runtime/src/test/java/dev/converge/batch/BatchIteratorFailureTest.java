package dev.converge.batch;

import static dev.converge.batch.Fixture.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A source failure is delivered after the items received before it, then on every next(). */
class BatchIteratorFailureTest {

  private final IllegalStateException boom = new IllegalStateException("boom");

  private void assertFailsWithBoom(CompletableFuture<Optional<Batch<Integer>>> next) {
    assertTrue(next.isDone());
    ExecutionException e = assertThrows(ExecutionException.class, next::get);
    assertSame(boom, e.getCause());
  }

  @Test
  void itemsReceivedBeforeTheFailureAreDeliveredFirst() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.send(1, 2, 3);
    f.channel.fail(boom);
    assertEquals(List.of(1, 2), f.take().items());
    Batch<Integer> remainder = f.take();
    assertEquals(List.of(3), remainder.items());
    assertEquals(Batch.Reason.END, remainder.reason());
    assertFailsWithBoom(f.iterator.next());
  }

  @Test
  void everyLaterNextFailsTheSameWay() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    f.channel.fail(boom);
    assertFailsWithBoom(f.iterator.next());
    assertFailsWithBoom(f.iterator.next());
    assertFailsWithBoom(f.iterator.next());
  }

  @Test
  void pendingNextFailsWhenTheSourceFails() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 1);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    pending(next);
    f.channel.fail(boom);
    assertFailsWithBoom(next);
  }

  @Test
  void failureCompletesALingeringBatchAtOnceInsteadOfWaitingForItsTimer() {
    Fixture f = new Fixture(10, Duration.ofMillis(20), 1);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    f.send(1);
    f.channel.fail(boom);
    assertEquals(List.of(1), Fixture.ready(next).items());
    assertEquals(0, f.time.pendingTimers());
  }

  @Test
  void pollThatThrowsIsASourceFailure() {
    BatchSource<Integer> throwing =
        max -> {
          throw boom;
        };
    BatchIterator<Integer> iterator =
        BatchIterator.builder(throwing).scheduler(new ManualScheduler()).build();
    CompletionException e = assertThrows(CompletionException.class, () -> iterator.next().join());
    assertSame(boom, e.getCause());
  }

  @Test
  void sourceReturningMoreThanAskedIsAFailureNamingTheCounts() {
    BatchSource<Integer> greedy = max -> CompletableFuture.completedFuture(List.of(1, 2, 3));
    BatchIterator<Integer> iterator =
        BatchIterator.builder(greedy).maxSize(2).scheduler(new ManualScheduler()).build();
    CompletionException e = assertThrows(CompletionException.class, () -> iterator.next().join());
    assertTrue(e.getCause() instanceof IllegalStateException);
    assertTrue(
        e.getCause().getMessage().contains("3 items for poll(2)"), e.getCause().getMessage());
  }

  @Test
  void completionExceptionFromTheSourceIsUnwrapped() {
    CompletableFuture<List<Integer>> failed = new CompletableFuture<>();
    failed.completeExceptionally(new CompletionException(boom));
    BatchIterator<Integer> iterator =
        BatchIterator.builder((BatchSource<Integer>) max -> failed)
            .scheduler(new ManualScheduler())
            .build();
    assertFailsWithBoom(iterator.next());
  }

  @Test
  void sourceIsClosedOnceWhenItFails() {
    int[] closes = {0};
    BatchChannel<Integer> channel = BatchChannel.bounded(4);
    BatchSource<Integer> source =
        new BatchSource<>() {
          @Override
          public java.util.concurrent.CompletionStage<List<Integer>> poll(int max) {
            return channel.poll(max);
          }

          @Override
          public void close() {
            closes[0]++;
          }
        };
    BatchIterator<Integer> iterator =
        BatchIterator.builder(source).scheduler(new ManualScheduler()).build();
    channel.fail(boom);
    iterator.close();
    assertEquals(1, closes[0]);
  }
}
