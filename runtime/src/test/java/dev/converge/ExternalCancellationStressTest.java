package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, cancellation from outside racing a branch completion, repeated
 * thousands of times: either the result is cancelled and every branch nobody completed is
 * cancelled, or the branch won and the others are cancelled; never both, never neither.
 */
class ExternalCancellationStressTest {

  private static final int ITERATIONS = 5_000;

  private final TestPool pool = new TestPool("cancellation-stress", 1);
  private final SimultaneousStart start = new SimultaneousStart(pool);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  @Test
  void raceCancelledWhileABranchCompletesEndsInExactlyOneConsistentState()
      throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> cache = new CompletableFuture<>();
      CompletableFuture<Integer> db = new CompletableFuture<>();
      CompletableFuture<Long> mirror = new CompletableFuture<>();
      RaceCall<UserSource> race =
          RaceCall.<UserSource>firstCompleted(pool.executor(), 3)
              .stage(cache, false, UserSource.Cache::new)
              .stage(db, false, UserSource.Db::new)
              .stage(mirror, false, UserSource.Mirror::new);
      AtomicInteger completions = new AtomicInteger();
      race.whenComplete((value, error) -> completions.incrementAndGet());

      boolean[] results = start.run(() -> cache.complete("ann"), () -> race.cancel(true));
      boolean cacheCompleted = results[0];
      boolean raceCancelled = results[1];

      String run = "run " + i + ": ";
      assertEquals(1, completions.get(), run + "completions of the result");
      assertEquals(raceCancelled, race.isCancelled(), run + "cancel() told the truth");
      if (raceCancelled) {
        assertTrue(cache.isDone(), run + "the completing branch was left running");
        assertEquals(
            cacheCompleted,
            !cache.isCancelled(),
            run + "the completing branch is either completed by its owner or cancelled");
      } else {
        assertTrue(cacheCompleted, run + "the race was won by a branch that did not complete");
        assertEquals(new UserSource.Cache("ann"), race.join(), run + "the winner");
        assertFalse(cache.isCancelled(), run + "the winner was cancelled");
      }
      assertTrue(db.isCancelled(), run + "a loser was left running");
      assertTrue(mirror.isCancelled(), run + "a loser was left running");
    }
  }

  @Test
  void joinCancelledWhileItsLastBranchCompletesEndsInExactlyOneConsistentState()
      throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> user = new CompletableFuture<>();
      CompletableFuture<Long> count = new CompletableFuture<>();
      JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
      JoinCall.Slot<String> u = call.stage(CompletableFuture.completedFuture("ann"), false);
      JoinCall.Slot<Long> n = call.stage(count, false);
      call.combine(() -> new Enriched(u.value(), n.value()));
      AtomicInteger completions = new AtomicInteger();
      call.whenComplete((value, error) -> completions.incrementAndGet());

      boolean[] results = start.run(() -> count.complete(3L), () -> call.cancel(true));
      boolean countCompleted = results[0];
      boolean joinCancelled = results[1];

      String run = "run " + i + ": ";
      assertEquals(1, completions.get(), run + "completions of the result");
      assertEquals(joinCancelled, call.isCancelled(), run + "cancel() told the truth");
      assertTrue(count.isDone(), run + "the last branch was left running");
      assertEquals(
          countCompleted,
          !count.isCancelled(),
          run + "the last branch is either completed by its owner or cancelled");
      if (!joinCancelled) {
        assertTrue(countCompleted, run + "the join completed without its last branch");
        assertEquals(new Enriched("ann", 3L), call.join(), run + "the combined value");
      }
      assertFalse(user.isDone(), "an unattached future is untouched");
    }
  }

  @Test
  void raceCancelledWhileAKeptBranchCompletesNeverCancelsTheKeptBranch()
      throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> cache = new CompletableFuture<>();
      CompletableFuture<Integer> db = new CompletableFuture<>();
      RaceCall<UserSource> race =
          RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
              .stage(cache, true, UserSource.Cache::new)
              .stage(db, false, UserSource.Db::new);

      boolean[] results = start.run(() -> cache.complete("ann"), () -> race.cancel(true));

      String run = "run " + i + ": ";
      assertTrue(results[0], run + "the kept branch was cancelled before its owner completed it");
      assertEquals(results[1], race.isCancelled(), run + "cancel() told the truth");
      assertTrue(db.isCancelled(), run + "a loser was left running");
    }
  }
}
