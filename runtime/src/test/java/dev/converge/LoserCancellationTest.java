package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, cancellation once the result is decided by a branch: every branch
 * still running is cancelled ({@code cancel(true)} for futures, interrupt for callables), except
 * {@code @Keep} ones.
 */
class LoserCancellationTest {

  private final TestPool pool = new TestPool("loser-cancellation", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  @Test
  void losingFutureIsCancelledWhenTheRaceIsDecided() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(cache, false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new);

    cache.complete("ann");

    assertTrue(db.isCancelled());
    assertTrue(db.isCompletedExceptionally());
    assertThrows(CancellationException.class, db::join);
  }

  @Test
  void dependentsOfALosingFutureFailWithCancellationException() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(cache, false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new);

    cache.complete("ann");

    assertInstanceOf(CancellationException.class, Settle.dependentFailureOf(db));
  }

  @Test
  void losingPlainFutureIsCancelledWithoutAStackTrace() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(cache, false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new);

    cache.complete("ann");

    // handle() sees the stored exception; get() and join() rethrow a copy on recent JDKs (25).
    Throwable cancellation = Settle.valueOf(db.handle((value, error) -> error));
    assertInstanceOf(BranchCancelledException.class, cancellation);
    assertEquals(0, cancellation.getStackTrace().length);
  }

  @Test
  void losingFutureSubclassHasItsOwnCancelCalled() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RecordingFuture<Integer> db = new RecordingFuture<>();
    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(cache, false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new);

    cache.complete("ann");

    assertEquals(1, db.cancelCalls());
    assertTrue(db.interruptRequested());
    assertTrue(db.isCancelled());
  }

  @Test
  void losingCallableIsInterrupted() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    BlockingCallable<Integer> db = new BlockingCallable<>(1);
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .callable(db, false, UserSource.Db::new);
    Settle.await(db.started, "the callable to start");

    cache.complete("ann");

    Settle.await(db.interrupted, "the losing callable's thread to see the interrupt");
    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
  }

  @Test
  void failingJoinBranchCancelsTheOtherFutureAndInterruptsTheOtherCallable()
      throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    BlockingCallable<Integer> slow = new BlockingCallable<>(1);
    JoinCall<String> call = JoinCall.failFast(pool.executor(), 3);
    call.stage(user, false);
    call.stage(count, false);
    call.callable(slow, false);
    call.combine(() -> "never");
    Settle.await(slow.started, "the callable to start");

    user.completeExceptionally(new IOException("user failed"));

    assertTrue(count.isCancelled());
    Settle.await(slow.interrupted, "the callable's thread to see the interrupt");
  }

  @Test
  void keptFutureIsNotCancelledWhenTheRaceIsDecided() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, true, UserSource.Db::new);

    cache.complete("ann");

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
    assertFalse(db.isDone());
    assertTrue(db.complete(7), "the kept branch can still complete normally");
  }

  @Test
  void keptCallableIsNotInterruptedWhenTheRaceIsDecided() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    BlockingCallable<Integer> db = new BlockingCallable<>(1);
    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(cache, false, UserSource.Cache::new)
        .callable(db, true, UserSource.Db::new);
    Settle.await(db.started, "the callable to start");

    // Losers are cancelled inside complete(), so an interrupt, if any, is delivered before this
    // returns; the callable then sees it in its wait instead of the release below.
    cache.complete("ann");
    db.release();

    Settle.await(db.finished, "the kept callable to finish normally");
    assertEquals(1, db.interrupted.getCount(), "the kept callable was interrupted");
  }

  @Test
  void keptFutureIsNotCancelledWhenTheJoinFails() {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<String> call = JoinCall.failFast(pool.executor(), 2);
    call.stage(user, false);
    call.stage(count, true);
    call.combine(() -> "never");

    user.completeExceptionally(new IOException("user failed"));

    assertTrue(call.isCompletedExceptionally());
    assertFalse(count.isDone());
  }

  @Test
  void futureAttachedAfterTheRaceIsDecidedIsCancelledAtOnce() {
    CompletableFuture<Integer> db = new CompletableFuture<>();

    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new);

    assertTrue(db.isCancelled());
  }

  @Test
  void keptFutureAttachedAfterTheRaceIsDecidedIsNotCancelled() {
    CompletableFuture<Integer> db = new CompletableFuture<>();

    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
        .stage(db, true, UserSource.Db::new);

    assertFalse(db.isDone());
  }

  @Test
  void callableAttachedAfterTheRaceIsDecidedIsNeverStarted() {
    CountingExecutor executor = new CountingExecutor(pool.executor());
    AtomicBoolean called = new AtomicBoolean();

    RaceCall.<UserSource>firstCompleted(executor, 2)
        .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
        .callable(
            () -> {
              called.set(true);
              return 1;
            },
            false,
            UserSource.Db::new);

    assertEquals(0, executor.submissions());
    assertFalse(called.get());
  }

  @Test
  void supplierAttachedAfterTheJoinFailedIsNeverCalled() {
    AtomicBoolean called = new AtomicBoolean();
    JoinCall<String> call = JoinCall.failFast(pool.executor(), 2);
    call.stage(CompletableFuture.<String>failedFuture(new IOException("user failed")), false);

    call.supplier(
        () -> {
          called.set(true);
          return new CompletableFuture<Long>();
        },
        false);

    assertFalse(called.get());
  }
}
