package dev.converge.batch;

import static dev.converge.batch.Fixture.pending;
import static dev.converge.batch.Fixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** next(): cancellation safety and concurrent callers. */
class BatchIteratorNextTest {

  private static final long WAIT = Duration.ofMillis(20).toNanos();

  @Test
  void cancelledNextLosesNothingAndItsBatchGoesToTheFollowingNext() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    CompletableFuture<Optional<Batch<Integer>>> cancelled = f.iterator.next();
    assertTrue(cancelled.cancel(false));
    f.send(1, 2);
    Batch<Integer> batch = f.take();
    assertEquals(List.of(1, 2), batch.items());
    assertEquals(0, batch.sequence());
  }

  @Test
  void cancellingAnAlreadyDeliveredNextReturnsFalse() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    f.send(1, 2);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    assertFalse(next.cancel(false));
    assertEquals(List.of(1, 2), ready(next).items());
  }

  @Test
  void timedOutNextLosesNothing() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    assertTrue(next.completeExceptionally(new java.util.concurrent.TimeoutException()));
    f.send(1, 2);
    assertEquals(List.of(1, 2), f.take().items());
  }

  @Test
  void orTimeoutOnAPendingNextLosesNothing() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    CountDownLatch timedOut = new CountDownLatch(1);
    next.orTimeout(1, TimeUnit.MILLISECONDS).whenComplete((b, e) -> timedOut.countDown());
    assertTrue(awaitQuietly(timedOut));
    f.send(1, 2);
    assertEquals(List.of(1, 2), f.take().items());
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void obtrudingANextFutureIsRefused() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    assertThrows(UnsupportedOperationException.class, () -> next.obtrudeValue(Optional.empty()));
  }

  @Test
  void concurrentCallsReceiveConsecutiveBatchesInCallOrder() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    List<CompletableFuture<Optional<Batch<Integer>>>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(f.iterator.next());
    }
    f.sendRange(0, 7);
    f.advance(WAIT);
    for (int i = 0; i < 4; i++) {
      Batch<Integer> batch = ready(calls.get(i));
      assertEquals(i, batch.sequence());
    }
  }

  @Test
  void cancellingAMiddleCallShiftsLaterBatchesDown() {
    Fixture f = new Fixture(1, Duration.ofMillis(20), 0);
    CompletableFuture<Optional<Batch<Integer>>> first = f.iterator.next();
    CompletableFuture<Optional<Batch<Integer>>> second = f.iterator.next();
    CompletableFuture<Optional<Batch<Integer>>> third = f.iterator.next();
    second.cancel(false);
    f.send(10, 20);
    assertEquals(List.of(10), ready(first).items());
    assertEquals(List.of(20), ready(third).items());
  }

  @Test
  void pendingNextStaysPendingUntilABatchIsDue() {
    Fixture f = new Fixture(5, Duration.ofMillis(20), 1);
    CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
    f.send(1);
    pending(next);
  }

  @Test
  void threadsCallingNextConcurrentlyGetDistinctBatchesCoveringEveryItem() throws Exception {
    for (int round = 0; round < 300; round++) {
      CountingSource source = new CountingSource();
      BatchIterator<Long> iterator =
          BatchIterator.builder(source)
              .maxSize(3)
              .prefetch(2)
              .scheduler(new ManualScheduler())
              .build();
      int threads = 4;
      int perThread = 25;
      CyclicBarrier start = new CyclicBarrier(threads);
      List<List<Batch<Long>>> received = new ArrayList<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Batch<Long>> mine = new ArrayList<>();
        received.add(mine);
        Thread worker =
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                      mine.add(iterator.next().join().orElseThrow());
                    }
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                });
        workers.add(worker);
        worker.start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
      boolean[] seen = new boolean[threads * perThread];
      for (List<Batch<Long>> mine : received) {
        long last = -1;
        for (Batch<Long> batch : mine) {
          assertTrue(batch.sequence() > last, "each thread sees increasing sequences");
          last = batch.sequence();
          assertFalse(seen[(int) batch.sequence()], "batch delivered twice");
          seen[(int) batch.sequence()] = true;
          assertEquals(
              List.of(3 * batch.sequence(), 3 * batch.sequence() + 1, 3 * batch.sequence() + 2),
              batch.items(),
              "round " + round);
        }
      }
    }
  }
}
