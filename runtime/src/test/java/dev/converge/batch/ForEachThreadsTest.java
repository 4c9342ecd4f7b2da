package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * forEach(maxInFlight, handler) with stages completed on other threads: maxInFlight stages really
 * are outstanding together, and seeded random completion orders on several threads keep the rules.
 */
class ForEachThreadsTest {

  private static final int SEEDS = 300;
  private static final int WORKERS = 3;

  @Test
  void maxInFlightStagesAreOutstandingTogether() throws Exception {
    int maxInFlight = 4;
    ExecutorService executor = Executors.newFixedThreadPool(maxInFlight);
    try {
      BatchChannel<Integer> channel = BatchChannel.bounded(100);
      BatchIterator<Integer> iterator =
          BatchIterator.builder(channel)
              .maxSize(1)
              .prefetch(2)
              .maxWait(Duration.ofMillis(20))
              .scheduler(new ManualScheduler())
              .build();
      // Each stage waits for maxInFlight stages to reach the barrier: fewer in flight would hang.
      CyclicBarrier together = new CyclicBarrier(maxInFlight);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger mostRunning = new AtomicInteger();
      CompletableFuture<Void> done =
          iterator.forEach(
              maxInFlight,
              batch -> {
                mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                return CompletableFuture.runAsync(
                    () -> {
                      try {
                        together.await(60, TimeUnit.SECONDS); // a guard against a hang, not a wait
                      } catch (Exception e) {
                        throw new AssertionError(e);
                      }
                      running.decrementAndGet();
                    },
                    executor);
              });
      for (int i = 0; i < 10 * maxInFlight; i++) {
        assertTrue(channel.trySend(i));
      }
      channel.complete();
      done.get(60, TimeUnit.SECONDS);
      assertEquals(maxInFlight, mostRunning.get());
      assertFalse(together.isBroken());
    } finally {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void randomCompletionOrdersOnSeveralThreadsKeepTheRules() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(WORKERS);
    int reachedMax = 0;
    try {
      for (long seed = 0; seed < SEEDS; seed++) {
        ThreadedForEachRun run = new ThreadedForEachRun(seed);
        run.run(executor, WORKERS);
        if (run.maxInFlight > 1 && run.maxOutstanding() == run.maxInFlight) {
          reachedMax++;
        }
      }
    } finally {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
    }
    assertTrue(reachedMax >= SEEDS / 4, "maxInFlight reached in only " + reachedMax + " runs");
  }
}
