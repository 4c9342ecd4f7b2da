package dev.converge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, exactly once: branches completing at the same moment on different
 * threads, repeated thousands of times. The result is completed exactly once, by a branch whose own
 * completion succeeded, and every loser ends completed (by its owner) or cancelled (by the engine).
 */
class ConcurrentCompletionStressTest {

  private static final int ITERATIONS = 5_000;
  private static final long SEED = 0x5EED_C0DEL;

  private final TestPool pool = new TestPool("completion-stress", 2);
  private final SimultaneousStart start = new SimultaneousStart(pool);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  @Test
  void firstCompletedRaceIsDecidedOnceByABranchWhoseCompleteSucceeded()
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
      AtomicInteger completions = countCompletions(race);

      boolean[] won =
          start.run(() -> cache.complete("c"), () -> db.complete(1), () -> mirror.complete(2L));

      assertEquals(1, completions.get(), "completions of the result");
      int winner = race.join().fold(c -> 0, d -> 1, m -> 2);
      assertTrue(won[winner], "the winner's own complete() returned false");
      assertEndedByOwnerOrCancelled(won, cache, db, mirror);
    }
  }

  @Test
  void firstSuccessRaceWithConcurrentSuccessesAndFailuresIsDecidedOnce()
      throws InterruptedException {
    Random random = new Random(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> cache = new CompletableFuture<>();
      CompletableFuture<Integer> db = new CompletableFuture<>();
      CompletableFuture<Long> mirror = new CompletableFuture<>();
      RaceCall<UserSource> race =
          RaceCall.<UserSource>firstSuccess(pool.executor(), 3)
              .stage(cache, false, UserSource.Cache::new)
              .stage(db, false, UserSource.Db::new)
              .stage(mirror, false, UserSource.Mirror::new);
      AtomicInteger completions = countCompletions(race);
      boolean[] succeeds = {random.nextBoolean(), random.nextBoolean(), random.nextBoolean()};
      Throwable[] failures = {
        new IllegalStateException("cache"),
        new IllegalStateException("db"),
        new IllegalStateException("mirror")
      };

      boolean[] won =
          start.run(
              () -> succeeds[0] ? cache.complete("c") : cache.completeExceptionally(failures[0]),
              () -> succeeds[1] ? db.complete(1) : db.completeExceptionally(failures[1]),
              () -> succeeds[2] ? mirror.complete(2L) : mirror.completeExceptionally(failures[2]));

      assertEquals(1, completions.get(), "completions of the result");
      if (succeeds[0] || succeeds[1] || succeeds[2]) {
        int winner = race.join().fold(c -> 0, d -> 1, m -> 2);
        assertTrue(succeeds[winner] && won[winner], "the winner is a success that completed");
      } else {
        AllFailedException allFailed =
            assertInstanceOf(AllFailedException.class, Settle.failureOf(race));
        assertArrayEquals(failures, allFailed.getSuppressed(), "seed " + SEED + ", run " + i);
      }
      assertEndedByOwnerOrCancelled(won, cache, db, mirror);
    }
  }

  @Test
  void failFastJoinWithConcurrentFailuresFailsOnceWithAFailureThatCompleted()
      throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> user = new CompletableFuture<>();
      CompletableFuture<Long> count = new CompletableFuture<>();
      CompletableFuture<Integer> score = new CompletableFuture<>();
      AtomicInteger combined = new AtomicInteger();
      JoinCall<String> call = JoinCall.failFast(pool.executor(), 3);
      call.stage(user, false);
      call.stage(count, false);
      call.stage(score, false);
      call.combine(() -> "combined " + combined.incrementAndGet());
      AtomicInteger completions = countCompletions(call);
      Throwable[] failures = {
        new IllegalStateException("user"),
        new IllegalStateException("count"),
        new IllegalStateException("score")
      };

      boolean[] won =
          start.run(
              () -> user.completeExceptionally(failures[0]),
              () -> count.completeExceptionally(failures[1]),
              () -> score.completeExceptionally(failures[2]));

      assertEquals(1, completions.get(), "completions of the result");
      assertEquals(0, combined.get(), "the combiner ran");
      Throwable failure = Settle.failureOf(call);
      int winner = List.of(failures).indexOf(failure);
      assertTrue(winner >= 0 && won[winner], "the failure is one whose completion succeeded");
      assertEndedByOwnerOrCancelled(won, user, count, score);
    }
  }

  @Test
  void failFastJoinWithConcurrentSuccessesCombinesExactlyOnce() throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> user = new CompletableFuture<>();
      CompletableFuture<Long> count = new CompletableFuture<>();
      CompletableFuture<Integer> score = new CompletableFuture<>();
      AtomicInteger combined = new AtomicInteger();
      JoinCall<String> call = JoinCall.failFast(pool.executor(), 3);
      JoinCall.Slot<String> u = call.stage(user, false);
      JoinCall.Slot<Long> n = call.stage(count, false);
      JoinCall.Slot<Integer> s = call.stage(score, false);
      call.combine(
          () -> {
            combined.incrementAndGet();
            return u.value() + n.value() + s.value();
          });
      AtomicInteger completions = countCompletions(call);

      boolean[] won =
          start.run(() -> user.complete("u"), () -> count.complete(1L), () -> score.complete(2));

      assertArrayEquals(new boolean[] {true, true, true}, won);
      assertEquals(1, completions.get(), "completions of the result");
      assertEquals(1, combined.get(), "runs of the combiner");
      assertEquals("u12", call.join());
    }
  }

  @Test
  void settleAllJoinWithConcurrentMixedCompletionsCombinesEveryOutcomeOnce()
      throws InterruptedException {
    Random random = new Random(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> user = new CompletableFuture<>();
      CompletableFuture<Long> count = new CompletableFuture<>();
      AtomicInteger combined = new AtomicInteger();
      JoinCall<Settled> call = JoinCall.settleAll(pool.executor(), 2);
      JoinCall.Slot<String> u = call.stage(user, false);
      JoinCall.Slot<Long> n = call.stage(count, false);
      call.combine(
          () -> {
            combined.incrementAndGet();
            return new Settled(u.outcome(), n.outcome());
          });
      AtomicInteger completions = countCompletions(call);
      boolean userSucceeds = random.nextBoolean();
      boolean countSucceeds = random.nextBoolean();
      IllegalStateException userFailure = new IllegalStateException("user");
      IllegalStateException countFailure = new IllegalStateException("count");

      start.run(
          () -> userSucceeds ? user.complete("u") : user.completeExceptionally(userFailure),
          () -> countSucceeds ? count.complete(1L) : count.completeExceptionally(countFailure));

      assertEquals(1, completions.get(), "completions of the result");
      assertEquals(1, combined.get(), "runs of the combiner");
      assertEquals(
          new Settled(
              userSucceeds ? Outcome.success("u") : Outcome.failure(userFailure),
              countSucceeds ? Outcome.success(1L) : Outcome.failure(countFailure)),
          call.join(),
          "seed " + SEED + ", run " + i);
    }
  }

  @Test
  void raceOfCallablesAndAStageCompletingTogetherIsDecidedOnce() throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CyclicBarrier barrier = new CyclicBarrier(3);
      // The callables' tasks settle their branch, and may decide the race and cancel the losers,
      // before run() returns: once both have returned, nothing is left in flight.
      CountDownLatch tasksReturned = new CountDownLatch(2);
      Executor tracking =
          task ->
              pool.executor()
                  .execute(
                      () -> {
                        try {
                          task.run();
                        } finally {
                          tasksReturned.countDown();
                        }
                      });
      CompletableFuture<String> cache = new CompletableFuture<>();
      AtomicInteger callablesReturned = new AtomicInteger();
      RaceCall<UserSource> race =
          RaceCall.<UserSource>firstCompleted(tracking, 3)
              .stage(cache, false, UserSource.Cache::new)
              .callable(
                  () -> {
                    barrier.await(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    callablesReturned.incrementAndGet();
                    return 1;
                  },
                  false,
                  UserSource.Db::new)
              .callable(
                  () -> {
                    barrier.await(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    callablesReturned.incrementAndGet();
                    return 2L;
                  },
                  false,
                  UserSource.Mirror::new);
      AtomicInteger completions = countCompletions(race);

      boolean cacheWon;
      try {
        barrier.await(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        cacheWon = cache.complete("c");
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new AssertionError("a callable never reached the barrier", e);
      }
      Settle.await(tasksReturned, "the callable tasks to return");

      assertEquals(1, completions.get(), "completions of the result");
      assertTrue(cacheWon != cache.isCancelled(), "the stage is either completed or cancelled");
      UserSource winner = race.getNow(null);
      if (winner instanceof UserSource.Cache) {
        assertTrue(cacheWon, "the stage won although its complete() returned false");
      } else {
        assertTrue(callablesReturned.get() >= 1, "a callable won without returning");
      }
    }
  }

  @Test
  void losersOfAFirstCompletedRaceAreNeverLeftRunning() throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> cache = new CompletableFuture<>();
      CompletableFuture<Integer> db = new CompletableFuture<>();
      CompletableFuture<Long> mirror = new CompletableFuture<>();
      RaceCall.<UserSource>firstCompleted(pool.executor(), 3)
          .stage(cache, false, UserSource.Cache::new)
          .stage(db, false, UserSource.Db::new)
          .stage(mirror, false, UserSource.Mirror::new);

      // Two completers race; the third branch is nobody's, so only the engine can end it.
      start.run(() -> cache.complete("c"), () -> db.complete(1));

      assertTrue(mirror.isCancelled(), "run " + i + ": the idle loser was left running");
      assertFalse(cache.isCancelled() && db.isCancelled(), "both completers were cancelled");
    }
  }

  @Test
  void branchAttachedWhileTheRaceIsBeingDecidedEndsCancelled() throws InterruptedException {
    for (int i = 0; i < ITERATIONS; i++) {
      CompletableFuture<String> cache = new CompletableFuture<>();
      CompletableFuture<Integer> db = new CompletableFuture<>();
      RaceCall<UserSource> race =
          RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
              .stage(cache, false, UserSource.Cache::new);

      // The attaching thread publishes db while another thread decides the race: whichever
      // comes second must cancel db (the handshake on Combinator.running).
      start.run(
          () -> {
            race.stage(db, false, UserSource.Db::new);
            return true;
          },
          () -> cache.complete("c"));

      assertEquals(new UserSource.Cache("c"), race.join());
      assertTrue(
          db.isCancelled(),
          "run " + i + ": a branch attached during the decision was " + "left running");
    }
  }

  /** Counts how often the result's completion is observed by a dependent registered up front. */
  private static AtomicInteger countCompletions(CompletableFuture<?> result) {
    AtomicInteger completions = new AtomicInteger();
    result.whenComplete((value, error) -> completions.incrementAndGet());
    return completions;
  }

  /**
   * Checks that every branch ended, either completed by its owner (its own completion returned
   * true) or cancelled by the engine, never both and never neither.
   */
  private static void assertEndedByOwnerOrCancelled(
      boolean[] completedByOwner, CompletableFuture<?>... branches) {
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < branches.length; i++) {
      CompletableFuture<?> branch = branches[i];
      if (!branch.isDone() || completedByOwner[i] == branch.isCancelled()) {
        wrong.add(
            "branch "
                + i
                + ": done "
                + branch.isDone()
                + ", completed by owner "
                + completedByOwner[i]
                + ", cancelled "
                + branch.isCancelled());
      }
    }
    if (!wrong.isEmpty()) {
      fail(String.join("; ", wrong));
    }
  }
}
