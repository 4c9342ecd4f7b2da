package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, join FAIL_FAST: all must succeed; the first failure completes the
 * result at once.
 */
class JoinCallFailFastTest {

  private final TestPool pool = new TestPool("join-fail-fast", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  @Test
  void combinesTheValuesOfEveryBranchOnceAllSucceeded() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    AtomicInteger combined = new AtomicInteger();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(count, false);
    call.combine(
        () -> {
          combined.incrementAndGet();
          return new Enriched(u.value(), n.value());
        });

    count.complete(3L);
    assertFalse(call.isDone());
    user.complete("ann");

    assertEquals(new Enriched("ann", 3L), Settle.valueOf(call));
    assertEquals(1, combined.get());
  }

  @Test
  void joinsAStageACallableAndASupplier() throws InterruptedException {
    JoinCall<String> call = JoinCall.failFast(pool.executor(), 3);
    JoinCall.Slot<String> u =
        call.stage(CompletableFuture.supplyAsync(() -> "ann", pool.executor()), false);
    JoinCall.Slot<Long> n = call.callable(() -> 3L, false);
    JoinCall.Slot<Integer> s = call.supplier(() -> CompletableFuture.completedFuture(9), false);
    call.combine(() -> u.value() + n.value() + s.value());

    assertEquals("ann39", Settle.valueOf(call));
  }

  @Test
  void firstFailureCompletesTheResultWhileOtherBranchesAreStillRunning()
      throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(count, false);
    call.combine(() -> new Enriched(u.value(), n.value()));
    IOException failure = new IOException("count failed");

    count.completeExceptionally(failure);

    assertSame(failure, Settle.failureOf(call));
  }

  @Test
  void failureWrappedInCompletionExceptionIsUnwrapped() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(new CompletableFuture<Long>(), false);
    call.combine(() -> new Enriched(u.value(), n.value()));
    IllegalStateException failure = new IllegalStateException("user broken");

    user.completeExceptionally(new CompletionException(failure));

    assertSame(failure, Settle.failureOf(call));
  }

  @Test
  void failureBeforeCombineIsCalledCompletesTheResultAndTheCombinerNeverRuns()
      throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(count, true);
    IOException failure = new IOException("user failed");

    user.completeExceptionally(failure);
    AtomicInteger combined = new AtomicInteger();
    call.combine(
        () -> {
          combined.incrementAndGet();
          return new Enriched(u.value(), n.value());
        });
    count.complete(1L);

    assertSame(failure, Settle.failureOf(call));
    assertEquals(0, combined.get());
  }

  @Test
  void nullValuesReachTheCombiner() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.callable(() -> null, false);
    call.combine(() -> new Enriched(u.value(), n.value()));

    user.complete(null);

    assertEquals(new Enriched(null, null), Settle.valueOf(call));
  }

  @Test
  void combinerFailureFailsTheResult() throws InterruptedException {
    IllegalStateException failure = new IllegalStateException("cannot combine");
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    call.stage(CompletableFuture.completedFuture("ann"), false);
    call.stage(CompletableFuture.completedFuture(1L), false);

    call.combine(
        () -> {
          throw failure;
        });

    assertSame(failure, Settle.failureOf(call));
  }

  @Test
  void combinerRunsOnTheThreadThatCompletedTheLastBranch() throws InterruptedException {
    CompletableFuture<Long> count = new CompletableFuture<>();
    AtomicReference<Thread> combinedOn = new AtomicReference<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(CompletableFuture.completedFuture("ann"), false);
    JoinCall.Slot<Long> n = call.stage(count, false);
    call.combine(
        () -> {
          combinedOn.set(Thread.currentThread());
          return new Enriched(u.value(), n.value());
        });
    AtomicReference<Thread> completer = new AtomicReference<>();
    CountDownLatch completed = new CountDownLatch(1);

    pool.executor()
        .execute(
            () -> {
              completer.set(Thread.currentThread());
              count.complete(2L);
              completed.countDown();
            });

    Settle.await(completed, "the completer");
    assertEquals(new Enriched("ann", 2L), Settle.valueOf(call));
    assertSame(completer.get(), combinedOn.get());
  }

  @Test
  void combineBeforeEveryBranchIsAttachedThrowsIllegalStateException() {
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    call.stage(new CompletableFuture<String>(), false);

    assertThrows(IllegalStateException.class, () -> call.combine(() -> new Enriched("a", 1L)));
  }

  @Test
  void combineTwiceThrowsIllegalStateException() {
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 1);
    call.stage(new CompletableFuture<String>(), false);
    call.combine(() -> new Enriched("a", 1L));

    assertThrows(IllegalStateException.class, () -> call.combine(() -> new Enriched("b", 2L)));
  }

  @Test
  void combineTwiceAfterEveryBranchSettledInPlaceThrowsIllegalStateException() {
    // The first combine builds the result at once and keeps no combiner; the second must still
    // be refused.
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 1);
    call.stage(CompletableFuture.completedFuture("ann"), false);
    call.combine(() -> new Enriched("a", 1L));

    assertThrows(IllegalStateException.class, () -> call.combine(() -> new Enriched("b", 2L)));
    assertEquals(new Enriched("a", 1L), call.getNow(null));
  }

  @Test
  void combineTwiceAfterABranchFailedInPlaceThrowsIllegalStateException() {
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 1);
    call.stage(CompletableFuture.failedFuture(new IOException("user failed")), false);
    call.combine(() -> new Enriched("a", 1L));

    assertThrows(IllegalStateException.class, () -> call.combine(() -> new Enriched("b", 2L)));
  }

  @Test
  void attachingMoreBranchesThanAnnouncedThrowsIllegalStateException() {
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 1);
    call.stage(new CompletableFuture<String>(), false);

    assertThrows(
        IllegalStateException.class, () -> call.stage(new CompletableFuture<Long>(), false));
  }

  @Test
  void ofWithFailFastModeBehavesAsFailFast() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.of(Join.Mode.FAIL_FAST, pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(new CompletableFuture<Long>(), false);
    call.combine(() -> new Enriched(u.value(), n.value()));
    IOException failure = new IOException("user failed");

    user.completeExceptionally(failure);

    assertTrue(call.isCompletedExceptionally());
    assertSame(failure, Settle.failureOf(call));
  }
}
