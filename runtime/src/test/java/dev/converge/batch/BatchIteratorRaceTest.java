package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The racing pairs, each repeated thousands of times with both sides released by one barrier: a timer
 * firing against an item arriving, a next() being cancelled against its batch completing, and close()
 * against an item arriving or a timer firing. After each round every item is accounted for exactly
 * once: delivered, returned by close(), or still in the channel.
 */
class BatchIteratorRaceTest {

  private static final int ROUNDS = 3_000;

  /** Runs both actions at once on two threads; returns when both are done. */
  private static void race(Runnable first, Runnable second) {
    CyclicBarrier barrier = new CyclicBarrier(2);
    Throwable[] failure = {null};
    Thread other =
        new Thread(
            () -> {
              try {
                barrier.await();
                second.run();
              } catch (Throwable e) {
                failure[0] = e;
              }
            });
    other.start();
    try {
      barrier.await();
      first.run();
      other.join();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }

  /** Ends the channel and collects every remaining batch, checking sizes. */
  private static List<Integer> drain(Fixture f, int maxSize) {
    f.channel.complete();
    List<Integer> items = new ArrayList<>();
    for (Optional<Batch<Integer>> b = f.iterator.next().join();
        b.isPresent();
        b = f.iterator.next().join()) {
      assertTrue(b.get().size() >= 1 && b.get().size() <= maxSize);
      items.addAll(b.get().items());
    }
    return items;
  }

  @Test
  void timerFiringWhileAnItemArrivesLosesAndDuplicatesNothing() {
    for (int round = 0; round < ROUNDS; round++) {
      Fixture f = new Fixture(2, Duration.ofNanos(10), 0);
      CompletableFuture<Optional<Batch<Integer>>> first = f.iterator.next();
      f.send(0);
      race(() -> f.advance(10), () -> f.send(1));
      List<Integer> items = new ArrayList<>(first.join().orElseThrow().items());
      f.advance(10);
      items.addAll(drain(f, 2));
      assertEquals(List.of(0, 1), items, "round " + round);
    }
  }

  @Test
  void cancellingNextWhileItsBatchCompletesLosesNothing() {
    for (int round = 0; round < ROUNDS; round++) {
      Fixture f = new Fixture(2, Duration.ofMillis(10), 0);
      CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
      f.send(0);
      race(() -> next.cancel(false), () -> f.send(1));
      List<Integer> items = new ArrayList<>();
      if (!next.isCancelled()) {
        items.addAll(next.join().orElseThrow().items());
      }
      items.addAll(drain(f, 2));
      assertEquals(List.of(0, 1), items, "round " + round);
    }
  }

  @Test
  void closingWhileAnItemArrivesLosesAndDuplicatesNothing() {
    for (int round = 0; round < ROUNDS; round++) {
      Fixture f = new Fixture(3, Duration.ofMillis(10), 1);
      f.send(0, 1, 2, 3);
      List<Integer> leftovers = new ArrayList<>();
      boolean[] accepted = {false};
      race(
          () -> leftovers.addAll(f.iterator.close()),
          () -> {
            try {
              accepted[0] = f.channel.trySend(4);
            } catch (IllegalStateException closedFirst) {
              accepted[0] = false;
            }
          });
      List<Integer> accounted = new ArrayList<>(leftovers);
      accounted.addAll(f.channel.poll(100).toCompletableFuture().join());
      assertEquals(
          accepted[0] ? List.of(0, 1, 2, 3, 4) : List.of(0, 1, 2, 3), accounted, "round " + round);
    }
  }

  @Test
  void closingWhileTheLingerRunsOutLosesAndDuplicatesNothing() {
    for (int round = 0; round < ROUNDS; round++) {
      Fixture f = new Fixture(3, Duration.ofNanos(10), 0);
      CompletableFuture<Optional<Batch<Integer>>> next = f.iterator.next();
      f.send(0, 1);
      List<Integer> leftovers = new ArrayList<>();
      race(() -> leftovers.addAll(f.iterator.close()), () -> f.advance(10));
      List<Integer> accounted = new ArrayList<>(next.join().map(Batch::items).orElse(List.of()));
      accounted.addAll(leftovers);
      assertEquals(List.of(0, 1), accounted, "round " + round);
      assertEquals(0, f.time.pendingTimers());
    }
  }
}
