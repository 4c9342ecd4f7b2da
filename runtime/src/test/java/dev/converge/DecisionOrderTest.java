package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What happens around the moment a race or join is decided: losers are cancelled before the
 * result's dependents run, a kept callable attached after the decision still runs, and a variant
 * function that throws fails the race instead of leaving it pending.
 */
class DecisionOrderTest {

  @Test
  void dependentsOfTheRaceSeeTheLoserAlreadyCancelled() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(Runnable::run, 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);
    AtomicBoolean loserCancelledWhenDependentRan = new AtomicBoolean();
    race.thenRun(() -> loserCancelledWhenDependentRan.set(db.isCancelled()));

    cache.complete("ann");

    assertTrue(loserCancelledWhenDependentRan.get());
  }

  @Test
  void dependentsOfAFailedJoinSeeTheOtherBranchesAlreadyCancelled() {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Integer> orders = new CompletableFuture<>();
    JoinCall<String> join = JoinCall.failFast(Runnable::run, 2);
    join.stage(user, false);
    join.stage(orders, false);
    join.combine(() -> "never");
    AtomicBoolean otherCancelledWhenDependentRan = new AtomicBoolean();
    join.whenComplete((value, error) -> otherCancelledWhenDependentRan.set(orders.isCancelled()));

    user.completeExceptionally(new IllegalStateException("no user"));

    assertTrue(otherCancelledWhenDependentRan.get());
  }

  @Test
  void dependentsOfAnExternallyCancelledRaceSeeTheBranchesAlreadyCancelled() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(Runnable::run, 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);
    AtomicInteger cancelledBranchesWhenDependentRan = new AtomicInteger(-1);
    race.whenComplete(
        (value, error) ->
            cancelledBranchesWhenDependentRan.set(
                (cache.isCancelled() ? 1 : 0) + (db.isCancelled() ? 1 : 0)));

    assertTrue(race.cancel(true));

    assertEquals(2, cancelledBranchesWhenDependentRan.get());
  }

  @Test
  void keptCallableAttachedAfterTheDecisionStillRuns() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    CountingExecutor executor = new CountingExecutor(Runnable::run);
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
            .callable(
                () -> {
                  ran.countDown();
                  return 7;
                },
                true,
                UserSource.Db::new);

    assertTrue(ran.await(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(new UserSource.Cache("ann"), race.join());
  }

  @Test
  void unkeptCallableAttachedAfterTheDecisionNeverStarts() {
    CountingExecutor executor = new CountingExecutor(Runnable::run);
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
            .callable(() -> 7, false, UserSource.Db::new);

    assertEquals(0, executor.submissions());
    assertEquals(new UserSource.Cache("ann"), race.join());
  }

  @Test
  void variantThatThrowsFailsTheRace() {
    IllegalArgumentException rejected = new IllegalArgumentException("no variant for this value");
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(Runnable::run, 2)
            .stage(
                cache,
                false,
                value -> {
                  throw rejected;
                })
            .stage(new CompletableFuture<Integer>(), false, UserSource.Db::new);

    cache.complete("ann");

    assertTrue(race.isCompletedExceptionally());
    assertSame(rejected, race.handle((value, error) -> error).join());
  }

  @Test
  void variantThatThrowsOnAnAlreadyCompleteBranchFailsTheRace() {
    IllegalArgumentException rejected = new IllegalArgumentException("no variant for this value");
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(Runnable::run, 2)
            .stage(
                CompletableFuture.completedFuture("ann"),
                false,
                value -> {
                  throw rejected;
                })
            .stage(db, false, UserSource.Db::new);

    assertSame(rejected, race.handle((value, error) -> error).join());
    assertTrue(db.isCancelled());
    assertFalse(race.complete(new UserSource.Db(1)));
  }
}
