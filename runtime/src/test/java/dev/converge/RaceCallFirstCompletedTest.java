package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, race FIRST_COMPLETED: the first branch to complete decides, value or
 * failure.
 */
class RaceCallFirstCompletedTest {

  private final TestPool pool = new TestPool("race-first-completed", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  private RaceCall<UserSource> race(
      CompletableFuture<String> cache,
      CompletableFuture<Integer> db,
      CompletableFuture<Long> mirror) {
    return RaceCall.<UserSource>firstCompleted(pool.executor(), 3)
        .stage(cache, false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new)
        .stage(mirror, false, UserSource.Mirror::new);
  }

  @Test
  void firstBranchToSucceedWinsWithItsVariant() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, db, new CompletableFuture<>());
    assertFalse(race.isDone());

    db.complete(7);

    assertEquals(new UserSource.Db(7), Settle.valueOf(race));
  }

  @Test
  void firstBranchToFailDecidesWithItsException() throws InterruptedException {
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race = race(new CompletableFuture<>(), db, new CompletableFuture<>());
    IOException failure = new IOException("db down");

    db.completeExceptionally(failure);

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void failureWrappedInCompletionExceptionIsUnwrapped() throws InterruptedException {
    CompletableFuture<Long> mirror = new CompletableFuture<>();
    RaceCall<UserSource> race = race(new CompletableFuture<>(), new CompletableFuture<>(), mirror);
    IllegalStateException failure = new IllegalStateException("mirror broken");

    mirror.completeExceptionally(new CompletionException(new CompletionException(failure)));

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void failureOfADependentStageIsUnwrapped() throws InterruptedException {
    CompletableFuture<String> source = new CompletableFuture<>();
    IllegalArgumentException failure = new IllegalArgumentException("bad user");
    CompletableFuture<Integer> db =
        source.thenApply(
            user -> {
              throw failure;
            });
    RaceCall<UserSource> race = race(new CompletableFuture<>(), db, new CompletableFuture<>());

    source.complete("ann");

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void branchCancelledByItsOwnerDecidesWithCancellationException() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, new CompletableFuture<>(), new CompletableFuture<>());

    cache.cancel(true);

    assertTrue(Settle.failureOf(race) instanceof CancellationException);
  }

  @Test
  void laterCompletionOfAKeptBranchDoesNotChangeTheResult() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, true, UserSource.Db::new);

    cache.complete("ann");
    db.complete(7);

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
  }

  @Test
  void nullValueWinsAsVariantHoldingNull() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, new CompletableFuture<>(), new CompletableFuture<>());

    cache.complete(null);

    UserSource winner = Settle.valueOf(race);
    assertEquals(new UserSource.Cache(null), winner);
    assertNull(winner.value());
  }

  @Test
  void callableBranchRunsOnTheExecutorAndWins() throws InterruptedException {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .callable(
                () -> {
                  ranOn.set(Thread.currentThread());
                  return 42;
                },
                false,
                UserSource.Db::new);

    assertEquals(new UserSource.Db(42), Settle.valueOf(race));
    assertTrue(ranOn.get().getName().startsWith("race-first-completed-"), ranOn.get().getName());
  }

  @Test
  void callableCheckedFailureDecidesAsItself() throws InterruptedException {
    IOException failure = new IOException("db down");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .callable(
                () -> {
                  throw failure;
                },
                false,
                UserSource.Db::new);

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void callableThrowingCompletionExceptionIsUnwrapped() throws InterruptedException {
    IllegalStateException failure = new IllegalStateException("db broken");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .callable(
                () -> {
                  throw new CompletionException(failure);
                },
                false,
                UserSource.Db::new);

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void callableThrowingExecutionExceptionDecidesWithItAsItIs() throws InterruptedException {
    // The callable's own failure, e.g. from a Future.get() it called: only the CompletionException
    // layers that stages add are unwrapped (Combinator.unwrap), never the branch's exception.
    ExecutionException failure = new ExecutionException(new IOException("inner lookup failed"));
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .callable(
                () -> {
                  throw failure;
                },
                false,
                UserSource.Db::new);

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void stageFailingWithWrappedExecutionExceptionDecidesWithTheExecutionException()
      throws InterruptedException {
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race = race(new CompletableFuture<>(), db, new CompletableFuture<>());
    ExecutionException failure = new ExecutionException(new IOException("inner lookup failed"));

    db.completeExceptionally(new CompletionException(failure));

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void supplierIsCalledOnTheAttachingThread() {
    AtomicReference<Thread> calledOn = new AtomicReference<>();
    RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
        .supplier(
            () -> {
              calledOn.set(Thread.currentThread());
              return new CompletableFuture<Integer>();
            },
            false,
            UserSource.Db::new);

    assertSame(Thread.currentThread(), calledOn.get());
  }

  @Test
  void supplierBranchWinsWithItsVariant() throws InterruptedException {
    CompletableFuture<Integer> started = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .supplier(() -> started, false, UserSource.Db::new);

    started.complete(3);

    assertEquals(new UserSource.Db(3), Settle.valueOf(race));
  }

  @Test
  void dependentsRunOnTheThreadThatCompletedTheDecidingBranch() throws InterruptedException {
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race = race(new CompletableFuture<>(), db, new CompletableFuture<>());
    AtomicReference<Thread> dependentRanOn = new AtomicReference<>();
    CompletableFuture<Void> dependent =
        race.thenRun(() -> dependentRanOn.set(Thread.currentThread()));
    CountDownLatch completed = new CountDownLatch(1);
    AtomicReference<Thread> completer = new AtomicReference<>();

    pool.executor()
        .execute(
            () -> {
              completer.set(Thread.currentThread());
              db.complete(1);
              completed.countDown();
            });

    Settle.await(completed, "the completer");
    Settle.valueOf(dependent);
    assertSame(completer.get(), dependentRanOn.get());
  }

  @Test
  void callableOnADirectExecutorRunsOnTheAttachingThreadAndDecides() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CompletableFuture<Long> mirror = new CompletableFuture<>();

    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(Runnable::run, 3)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .callable(
                () -> {
                  ranOn.set(Thread.currentThread());
                  return 4;
                },
                false,
                UserSource.Db::new)
            .stage(mirror, false, UserSource.Mirror::new);

    assertEquals(new UserSource.Db(4), race.getNow(null));
    assertSame(Thread.currentThread(), ranOn.get());
    assertTrue(mirror.isCancelled());
  }

  @Test
  void ofWithFirstCompletedModeBehavesAsFirstCompleted() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>of(Race.Mode.FIRST_COMPLETED, pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(new CompletableFuture<Integer>(), false, UserSource.Db::new);
    IOException failure = new IOException("cache down");

    cache.completeExceptionally(failure);

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void attachingMoreBranchesThanAnnouncedThrowsIllegalStateException() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 1)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new);

    assertThrows(
        IllegalStateException.class,
        () -> race.stage(new CompletableFuture<Integer>(), false, UserSource.Db::new));
  }

  @Test
  void branchCountBelowOneIsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RaceCall.<UserSource>firstCompleted(pool.executor(), 0));
  }
}
