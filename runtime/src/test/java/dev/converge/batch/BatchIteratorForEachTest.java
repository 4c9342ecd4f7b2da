package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** forEach: one handler at a time, stops and closes on failure. */
class BatchIteratorForEachTest {

  private final IllegalStateException boom = new IllegalStateException("boom");

  @Test
  void handlersRunOneAtATimeInOrder() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 2);
    List<CompletableFuture<Void>> handlers = new ArrayList<>();
    List<Long> handled = new ArrayList<>();
    CompletableFuture<Void> done =
        f.iterator.forEach(
            batch -> {
              handled.add(batch.sequence());
              CompletableFuture<Void> stage = new CompletableFuture<>();
              handlers.add(stage);
              return stage;
            });
    f.sendRange(0, 6);
    assertEquals(List.of(0L), handled, "second batch must wait for the first handler");
    handlers.get(0).complete(null);
    assertEquals(List.of(0L, 1L), handled);
    handlers.get(1).complete(null);
    f.channel.complete();
    handlers.get(2).complete(null);
    assertEquals(List.of(0L, 1L, 2L), handled);
    assertTrue(done.isDone());
    assertFalse(done.isCompletedExceptionally());
  }

  @Test
  void synchronousHandlersOverALongStreamDoNotGrowTheStack() {
    CountingSource source = new CountingSource();
    BatchIterator<Long> iterator =
        BatchIterator.builder(source)
            .maxSize(1)
            .prefetch(1)
            .scheduler(new ManualScheduler())
            .build();
    long[] count = {0};
    CompletableFuture<Void> done =
        iterator.forEach(
            batch -> {
              if (++count[0] == 100_000) {
                iterator.close();
              }
              return CompletableFuture.completedFuture(null);
            });
    done.join();
    assertEquals(100_000, count[0]);
  }

  @Test
  void handlerFailureStopsTheLoopFailsTheResultAndClosesTheIterator() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    List<Long> handled = new ArrayList<>();
    CompletableFuture<Void> done =
        f.iterator.forEach(
            batch -> {
              handled.add(batch.sequence());
              return batch.sequence() == 1
                  ? CompletableFuture.failedFuture(boom)
                  : CompletableFuture.completedFuture(null);
            });
    f.sendRange(0, 2); // the second item completes batch 1, whose handler fails at once
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
    assertEquals(List.of(0L, 1L), handled);
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(9), "iterator closed");
  }

  @Test
  void handlerThrowingIsTreatedLikeAFailedStage() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    CompletableFuture<Void> done =
        f.iterator.forEach(
            batch -> {
              throw boom;
            });
    f.send(1);
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
  }

  @Test
  void handlerFailureIsUnwrappedLikeASourceFailure() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    CompletableFuture<Void> done =
        f.iterator.forEach(
            batch ->
                CompletableFuture.failedFuture(
                    new CompletionException(new ExecutionException(boom))));
    f.send(1);
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
  }

  @Test
  void sourceFailureFailsTheResultAfterEveryEarlierBatchWasHandled() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    List<Integer> handled = new ArrayList<>();
    CompletableFuture<Void> done =
        f.iterator.forEach(
            batch -> {
              handled.addAll(batch.items());
              return CompletableFuture.completedFuture(null);
            });
    f.send(1, 2);
    f.channel.fail(boom);
    ExecutionException e = assertThrows(ExecutionException.class, done::get);
    assertSame(boom, e.getCause());
    assertEquals(List.of(1, 2), handled);
  }

  @Test
  void cancellingTheResultClosesTheIterator() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 1);
    CompletableFuture<Void> done =
        f.iterator.forEach(batch -> CompletableFuture.completedFuture(null));
    done.cancel(false);
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(1));
  }
}
