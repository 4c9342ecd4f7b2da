package dev.converge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, no thread hops when already done: branches that are already complete
 * are decided on the caller's thread without scheduling anything.
 */
class AlreadyCompleteTest {

  private final TestPool pool = new TestPool("already-complete", 2);
  private final CountingExecutor executor = new CountingExecutor(pool.executor());

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  @Test
  void raceIsDecidedWhileAttachingAnAlreadyCompleteStage() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new);

    assertTrue(race.isDone());
    assertEquals(new UserSource.Cache("ann"), race.getNow(null));
  }

  @Test
  void decidedRaceSubmitsNothingToTheExecutor() {
    AtomicBoolean supplierCalled = new AtomicBoolean();

    RaceCall.<UserSource>firstCompleted(executor, 3)
        .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
        .callable(() -> 1, false, UserSource.Db::new)
        .supplier(
            () -> {
              supplierCalled.set(true);
              return CompletableFuture.completedFuture(2L);
            },
            false,
            UserSource.Mirror::new);

    assertEquals(0, executor.submissions());
    assertFalse(supplierCalled.get());
  }

  @Test
  void dependentsOfARaceDecidedByAnAlreadyCompleteStageRunOnTheCallersThread() {
    RaceCall<UserSource> race = RaceCall.firstCompleted(executor, 2);
    AtomicReference<Thread> dependentRanOn = new AtomicReference<>();
    race.thenRun(() -> dependentRanOn.set(Thread.currentThread()));

    race.stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
        .stage(CompletableFuture.completedFuture(7), false, UserSource.Db::new);

    assertSame(Thread.currentThread(), dependentRanOn.get());
    assertEquals(0, executor.submissions());
  }

  @Test
  void alreadyCompleteLaterBranchWinsAndCancelsTheEarlierPendingOne() {
    CompletableFuture<String> cache = new CompletableFuture<>();

    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(CompletableFuture.completedFuture(7), false, UserSource.Db::new);

    assertEquals(new UserSource.Db(7), race.getNow(null));
    assertTrue(cache.isCancelled());
  }

  @Test
  void alreadyFailedStageDecidesAFirstCompletedRaceWhileAttaching() throws InterruptedException {
    IOException failure = new IOException("cache down");

    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .stage(CompletableFuture.<String>failedFuture(failure), false, UserSource.Cache::new);

    assertTrue(race.isCompletedExceptionally());
    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void firstSuccessRaceOfAlreadyFailedStagesFailsWhileAttaching() throws InterruptedException {
    IOException cacheFailure = new IOException("cache down");
    IllegalStateException dbFailure = new IllegalStateException("db broken");

    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(executor, 2)
            .stage(
                CompletableFuture.<String>failedFuture(cacheFailure), false, UserSource.Cache::new)
            .stage(CompletableFuture.<Integer>failedFuture(dbFailure), false, UserSource.Db::new);

    assertTrue(race.isCompletedExceptionally());
    AllFailedException allFailed =
        assertInstanceOf(AllFailedException.class, Settle.failureOf(race));
    assertArrayEquals(new Throwable[] {cacheFailure, dbFailure}, allFailed.getSuppressed());
    assertEquals(0, executor.submissions());
  }

  @Test
  void supplierOfACompletedStageDecidesOnTheCallersThread() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .supplier(() -> CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new);

    assertEquals(new UserSource.Cache("ann"), race.getNow(null));
    assertEquals(0, executor.submissions());
  }

  @Test
  void completedFutureSubclassIsDecidedOnTheCallersThread() {
    RecordingFuture<String> cache = new RecordingFuture<>();
    cache.complete("ann");
    RaceCall<UserSource> race = RaceCall.firstCompleted(executor, 2);
    AtomicReference<Thread> dependentRanOn = new AtomicReference<>();
    race.thenRun(() -> dependentRanOn.set(Thread.currentThread()));

    race.stage(cache, false, UserSource.Cache::new);

    assertEquals(new UserSource.Cache("ann"), race.getNow(null));
    assertSame(Thread.currentThread(), dependentRanOn.get());
  }

  @Test
  void joinOfCompletedStagesCombinesInsideCombineOnTheCallersThread() {
    AtomicReference<Thread> combinedOn = new AtomicReference<>();
    JoinCall<Enriched> call = JoinCall.failFast(executor, 2);
    JoinCall.Slot<String> u = call.stage(CompletableFuture.completedFuture("ann"), false);
    JoinCall.Slot<Long> n = call.supplier(() -> CompletableFuture.completedFuture(3L), false);
    assertFalse(call.isDone());

    call.combine(
        () -> {
          combinedOn.set(Thread.currentThread());
          return new Enriched(u.value(), n.value());
        });

    assertEquals(new Enriched("ann", 3L), call.getNow(null));
    assertSame(Thread.currentThread(), combinedOn.get());
    assertEquals(0, executor.submissions());
  }

  @Test
  void settleAllJoinOfCompletedStagesCombinesOnTheCallersThread() {
    IOException failure = new IOException("count failed");
    JoinCall<Settled> call = JoinCall.settleAll(executor, 2);
    JoinCall.Slot<String> u = call.stage(CompletableFuture.completedFuture("ann"), false);
    JoinCall.Slot<Long> n = call.stage(CompletableFuture.failedFuture(failure), false);

    call.combine(() -> new Settled(u.outcome(), n.outcome()));

    assertEquals(new Settled(Outcome.success("ann"), Outcome.failure(failure)), call.getNow(null));
    assertEquals(0, executor.submissions());
  }

  @Test
  void failFastJoinFailsWhileAttachingAnAlreadyFailedStageAndStartsNoCallable()
      throws InterruptedException {
    IOException failure = new IOException("user failed");
    JoinCall<Enriched> call = JoinCall.failFast(executor, 2);
    call.stage(CompletableFuture.<String>failedFuture(failure), false);

    assertTrue(call.isCompletedExceptionally());
    call.callable(() -> 1L, false);
    assertEquals(0, executor.submissions());
    assertSame(failure, Settle.failureOf(call));
  }
}
