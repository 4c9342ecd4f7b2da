package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, cancellation from outside: cancelling or completing the returned
 * future (for example with {@code orTimeout}) cancels every branch still running, except
 * {@code @Keep} ones.
 */
class ExternalCompletionTest {

  /** Tiny, so the timeout fires almost at once; the tests wait on completion, never on time. */
  private static final long TINY_TIMEOUT_MILLIS = 1;

  private final TestPool pool = new TestPool("external-completion", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  @Test
  void cancellingTheRaceCancelsFuturesAndInterruptsCallables() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RecordingFuture<Integer> db = new RecordingFuture<>();
    BlockingCallable<Long> mirror = new BlockingCallable<>(1L);
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 3)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new)
            .callable(mirror, false, UserSource.Mirror::new);
    Settle.await(mirror.started, "the callable to start");

    assertTrue(race.cancel(true));

    assertTrue(race.isCancelled());
    assertTrue(cache.isCancelled());
    assertEquals(1, db.cancelCalls());
    Settle.await(mirror.interrupted, "the callable's thread to see the interrupt");
  }

  @Test
  void cancellingTheRaceLeavesKeptBranchesAlone() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    BlockingCallable<Integer> db = new BlockingCallable<>(1);
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(cache, true, UserSource.Cache::new)
            .callable(db, true, UserSource.Db::new);
    Settle.await(db.started, "the callable to start");

    race.cancel(true);
    db.release();

    Settle.await(db.finished, "the kept callable to finish normally");
    assertEquals(1, db.interrupted.getCount(), "the kept callable was interrupted");
    assertFalse(cache.isDone());
  }

  @Test
  void cancellingTheJoinCancelsItsBranches() {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.settleAll(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(count, false);
    call.combine(() -> new Enriched(u.value(), n.value()));

    call.cancel(true);

    assertTrue(user.isCancelled());
    assertTrue(count.isCancelled());
  }

  @Test
  void completingTheRaceFromOutsideCancelsItsBranches() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);

    assertTrue(race.complete(new UserSource.Cache("fallback")));

    assertEquals(new UserSource.Cache("fallback"), Settle.valueOf(race));
    assertTrue(cache.isCancelled());
    assertTrue(db.isCancelled());
  }

  @Test
  void orTimeoutOnTheRaceCancelsItsBranches() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);

    race.orTimeout(TINY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);

    assertInstanceOf(TimeoutException.class, Settle.failureOf(race));
    // Dependents of the race (the waiter above) may run before the branches are cancelled on the
    // timer thread, so wait for each branch's own completion.
    Settle.completion(cache);
    Settle.completion(db);
    assertTrue(cache.isCancelled());
    assertTrue(db.isCancelled());
  }

  @Test
  void orTimeoutOnTheJoinInterruptsItsCallables() throws InterruptedException {
    BlockingCallable<String> user = new BlockingCallable<>("ann");
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.callable(user, false);
    JoinCall.Slot<Long> n = call.stage(new CompletableFuture<Long>(), false);
    call.combine(() -> new Enriched(u.value(), n.value()));
    Settle.await(user.started, "the callable to start");

    call.orTimeout(TINY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);

    assertInstanceOf(TimeoutException.class, Settle.failureOf(call));
    Settle.await(user.interrupted, "the callable's thread to see the interrupt");
  }

  @Test
  void completeOnTimeoutOnTheJoinCancelsItsBranches() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(CompletableFuture.completedFuture(1L), false);
    call.combine(() -> new Enriched(u.value(), n.value()));

    call.completeOnTimeout(new Enriched("default", 0L), TINY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);

    assertEquals(new Enriched("default", 0L), Settle.valueOf(call));
    Settle.completion(user);
    assertTrue(user.isCancelled());
  }

  @Test
  void cancellingADecidedRaceReturnsFalseAndChangesNothing() throws InterruptedException {
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
            .stage(db, true, UserSource.Db::new);

    assertFalse(race.cancel(true));

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
    assertFalse(db.isDone());
  }
}
