package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.4, the blocking form: {@code await()} returns the value, rethrows an
 * unchecked failure as itself, wraps a checked one in {@link CompletionException}, and on
 * interruption cancels every branch that is not {@code @Keep} and rethrows
 * {@link InterruptedException}.
 */
class AwaitTest {

  private final TestPool pool = new TestPool("await", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  private RaceCall<UserSource> raceOf(
      CompletableFuture<String> cache, CompletableFuture<Integer> db) {
    return RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
        .stage(cache, false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new);
  }

  @Test
  void raceAwaitReturnsTheWinningVariant() throws InterruptedException {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .callable(() -> 7, false, UserSource.Db::new);

    assertEquals(new UserSource.Db(7), race.await());
  }

  @Test
  void joinAwaitReturnsTheCombinedValue() throws InterruptedException {
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.callable(() -> "ann", false);
    JoinCall.Slot<Long> n =
        call.stage(CompletableFuture.supplyAsync(() -> 3L, pool.executor()), false);
    call.combine(() -> new Enriched(u.value(), n.value()));

    assertEquals(new Enriched("ann", 3L), call.await());
  }

  @Test
  void awaitRethrowsAnUncheckedFailureAsItself() {
    IllegalStateException failure = new IllegalStateException("db broken");
    RaceCall<UserSource> race =
        raceOf(new CompletableFuture<>(), CompletableFuture.failedFuture(failure));

    assertSame(failure, assertThrows(IllegalStateException.class, race::await));
  }

  @Test
  void awaitWrapsACheckedFailureInCompletionException() {
    IOException failure = new IOException("db down");
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    call.stage(new CompletableFuture<String>(), false);
    call.stage(CompletableFuture.<Long>failedFuture(failure), false);
    call.combine(() -> new Enriched("never", 0L));

    CompletionException thrown = assertThrows(CompletionException.class, call::await);
    assertSame(failure, thrown.getCause());
  }

  @Test
  void awaitRethrowsAnErrorAsItself() {
    AssertionError failure = new AssertionError("broken invariant");
    RaceCall<UserSource> race =
        raceOf(CompletableFuture.failedFuture(failure), new CompletableFuture<>());

    assertSame(failure, assertThrows(AssertionError.class, race::await));
  }

  @Test
  void awaitRethrowsAllFailedExceptionAsItself() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(pool.executor(), 2)
            .stage(
                CompletableFuture.<String>failedFuture(new IOException("cache down")),
                false,
                UserSource.Cache::new)
            .callable(
                () -> {
                  throw new IOException("db down");
                },
                false,
                UserSource.Db::new);

    AllFailedException thrown = assertThrows(AllFailedException.class, race::await);
    assertEquals(2, thrown.getSuppressed().length);
  }

  @Test
  void awaitOnACancelledRaceThrowsCancellationException() {
    RaceCall<UserSource> race = raceOf(new CompletableFuture<>(), new CompletableFuture<>());
    race.cancel(true);

    assertThrows(CancellationException.class, race::await);
  }

  @Test
  void interruptingTheAwaitingThreadCancelsNonKeptBranchesAndRethrows()
      throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    BlockingCallable<Long> mirror = new BlockingCallable<>(1L);
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 3)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, true, UserSource.Db::new)
            .callable(mirror, false, UserSource.Mirror::new);
    Settle.await(mirror.started, "the callable to start");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch returned = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              try {
                thrown.set(new AssertionError("await returned " + race.await()));
              } catch (Throwable e) {
                thrown.set(e);
              } finally {
                returned.countDown();
              }
            },
            "await-waiter");

    waiter.start();
    awaitBlocked(waiter);
    waiter.interrupt();

    Settle.await(returned, "await to throw");
    waiter.join(TimeUnit.SECONDS.toMillis(TestPool.TIMEOUT_SECONDS));
    assertInstanceOf(InterruptedException.class, thrown.get());
    assertTrue(race.isCancelled());
    assertTrue(cache.isCancelled());
    assertFalse(db.isDone(), "the kept branch was cancelled");
    Settle.await(mirror.interrupted, "the callable's thread to see the interrupt");
  }

  @Test
  void awaitCalledWhileInterruptedCancelsNonKeptBranchesAndRethrows() {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(count, true);
    call.combine(() -> new Enriched(u.value(), n.value()));

    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, call::await);

    assertFalse(Thread.interrupted(), "the interrupt status is cleared, as by any blocking call");
    assertTrue(call.isCancelled());
    assertTrue(user.isCancelled());
    assertFalse(count.isDone(), "the kept branch was cancelled");
  }

  /** Spins until {@code thread} parks in {@code await()}, the state interrupts are meant for. */
  private static void awaitBlocked(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestPool.TIMEOUT_SECONDS);
    while (thread.getState() != Thread.State.WAITING) {
      if (!thread.isAlive() || System.nanoTime() > deadline) {
        fail("the waiter never blocked; it is " + thread.getState());
      }
      Thread.onSpinWait();
    }
  }
}
