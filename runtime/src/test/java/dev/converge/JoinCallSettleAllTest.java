package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, join SETTLE_ALL: waits for every branch and never fails because of
 * one; each branch is read as an {@link Outcome}.
 */
class JoinCallSettleAllTest {

  private final TestPool pool = new TestPool("join-settle-all", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  private JoinCall<Settled> settle(CompletableFuture<String> user, CompletableFuture<Long> count) {
    JoinCall<Settled> call = JoinCall.settleAll(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(user, false);
    JoinCall.Slot<Long> n = call.stage(count, false);
    return call.combine(() -> new Settled(u.outcome(), n.outcome()));
  }

  @Test
  void waitsForEveryBranchAfterAFailure() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Settled> call = settle(user, count);
    IOException failure = new IOException("user failed");

    user.completeExceptionally(failure);
    assertFalse(call.isDone());
    count.complete(4L);

    assertEquals(new Settled(Outcome.failure(failure), Outcome.success(4L)), Settle.valueOf(call));
  }

  @Test
  void failureDoesNotCancelTheOtherBranches() {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    settle(user, count);

    user.completeExceptionally(new IOException("user failed"));

    assertFalse(count.isDone());
  }

  @Test
  void neverFailsWhenEveryBranchFails() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Settled> call = settle(user, count);
    IOException userFailure = new IOException("user failed");
    IllegalStateException countFailure = new IllegalStateException("count failed");

    count.completeExceptionally(countFailure);
    user.completeExceptionally(userFailure);

    assertEquals(
        new Settled(Outcome.failure(userFailure), Outcome.failure(countFailure)),
        Settle.valueOf(call));
  }

  @Test
  void failureOutcomesAreUnwrappedFromCompletionException() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    IllegalStateException failure = new IllegalStateException("user broken");
    JoinCall<Settled> call = settle(user, CompletableFuture.completedFuture(1L));

    user.completeExceptionally(new CompletionException(failure));

    Outcome.Failure<String> outcome = (Outcome.Failure<String>) Settle.valueOf(call).user();
    assertSame(failure, outcome.error());
  }

  @Test
  void executionExceptionOfABranchIsItsFailureOutcomeAsItIs() throws InterruptedException {
    // Settled in place (a completed future) and later (a callable): both keep the branch's own
    // ExecutionException, unwrapping only the CompletionException around the first.
    ExecutionException userFailure = new ExecutionException(new IOException("user lookup"));
    ExecutionException countFailure = new ExecutionException(new IOException("count lookup"));
    JoinCall<Settled> call = JoinCall.settleAll(pool.executor(), 2);
    JoinCall.Slot<String> u =
        call.stage(CompletableFuture.failedFuture(new CompletionException(userFailure)), false);
    JoinCall.Slot<Long> n =
        call.callable(
            () -> {
              throw countFailure;
            },
            false);
    call.combine(() -> new Settled(u.outcome(), n.outcome()));

    assertEquals(
        new Settled(Outcome.failure(userFailure), Outcome.failure(countFailure)),
        Settle.valueOf(call));
  }

  @Test
  void nullValueIsASuccessHoldingNull() throws InterruptedException {
    CompletableFuture<String> user = new CompletableFuture<>();
    JoinCall<Settled> call = settle(user, CompletableFuture.completedFuture(null));

    user.complete(null);

    assertEquals(new Settled(Outcome.success(null), Outcome.success(null)), Settle.valueOf(call));
  }

  @Test
  void callableAndSupplierFailuresBecomeFailureOutcomes() throws InterruptedException {
    IOException userFailure = new IOException("user failed");
    IllegalArgumentException countFailure = new IllegalArgumentException("count failed");
    JoinCall<Settled> call = JoinCall.settleAll(pool.executor(), 2);
    JoinCall.Slot<String> u =
        call.callable(
            () -> {
              throw userFailure;
            },
            false);
    JoinCall.Slot<Long> n =
        call.supplier(
            () -> {
              throw countFailure;
            },
            false);
    call.combine(() -> new Settled(u.outcome(), n.outcome()));

    assertEquals(
        new Settled(Outcome.failure(userFailure), Outcome.failure(countFailure)),
        Settle.valueOf(call));
  }

  @Test
  void valueOfAFailedSlotThrowsIllegalStateExceptionCausedByTheFailure()
      throws InterruptedException {
    IOException failure = new IOException("user failed");
    JoinCall<String> call = JoinCall.settleAll(pool.executor(), 1);
    JoinCall.Slot<String> u = call.stage(CompletableFuture.failedFuture(failure), false);
    call.combine(
        () -> {
          IllegalStateException thrown = assertThrows(IllegalStateException.class, u::value);
          assertSame(failure, thrown.getCause());
          return "checked";
        });

    assertEquals("checked", Settle.valueOf(call));
  }

  @Test
  void ofWithSettleAllModeBehavesAsSettleAll() throws InterruptedException {
    IOException failure = new IOException("user failed");
    JoinCall<Settled> call = JoinCall.of(Join.Mode.SETTLE_ALL, pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(CompletableFuture.failedFuture(failure), false);
    JoinCall.Slot<Long> n = call.stage(CompletableFuture.completedFuture(2L), false);
    call.combine(() -> new Settled(u.outcome(), n.outcome()));

    assertEquals(new Settled(Outcome.failure(failure), Outcome.success(2L)), Settle.valueOf(call));
  }
}
