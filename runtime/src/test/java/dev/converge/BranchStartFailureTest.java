package dev.converge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A branch the combinator cannot start is a failed branch, not an exception at the call: a
 * callable the executor rejects, a supplier that throws, a supplier that returns null.
 */
class BranchStartFailureTest {

  private final RejectedExecutionException rejection = new RejectedExecutionException("full");
  private final Executor rejecting =
      task -> {
        throw rejection;
      };

  @Test
  void rejectedCallableFailsAFirstCompletedRaceWithRejectedExecutionException()
      throws InterruptedException {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(rejecting, 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .callable(() -> 1, false, UserSource.Db::new);

    assertSame(rejection, Settle.failureOf(race));
  }

  @Test
  void rejectedCallableIsOneFailureOfAFirstSuccessRace() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(rejecting, 2)
            .callable(() -> 1, false, UserSource.Db::new)
            .stage(cache, false, UserSource.Cache::new);
    IOException cacheFailure = new IOException("cache down");

    cache.completeExceptionally(cacheFailure);

    AllFailedException allFailed =
        assertInstanceOf(AllFailedException.class, Settle.failureOf(race));
    assertArrayEquals(new Throwable[] {rejection, cacheFailure}, allFailed.getSuppressed());
  }

  @Test
  void rejectedCallableIsAFailureOutcomeOfASettleAllJoin() throws InterruptedException {
    JoinCall<Settled> call = JoinCall.settleAll(rejecting, 2);
    JoinCall.Slot<String> u = call.stage(CompletableFuture.completedFuture("ann"), false);
    JoinCall.Slot<Long> n = call.callable(() -> 1L, false);
    call.combine(() -> new Settled(u.outcome(), n.outcome()));

    assertEquals(
        new Settled(Outcome.success("ann"), Outcome.failure(rejection)), Settle.valueOf(call));
  }

  @Test
  void supplierThatThrowsFailsAFirstCompletedRace() throws InterruptedException {
    IllegalStateException failure = new IllegalStateException("cannot start");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(rejecting, 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .supplier(
                () -> {
                  throw failure;
                },
                false,
                UserSource.Db::new);

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void supplierThatReturnsNullFailsAFirstCompletedRaceWithNullPointerException()
      throws InterruptedException {
    Supplier<CompletionStage<Integer>> nothing = () -> null;
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(rejecting, 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .supplier(nothing, false, UserSource.Db::new);

    assertInstanceOf(NullPointerException.class, Settle.failureOf(race));
  }

  @Test
  void supplierThatThrowsFailsAFailFastJoin() throws InterruptedException {
    IllegalStateException failure = new IllegalStateException("cannot start");
    JoinCall<Enriched> call = JoinCall.failFast(rejecting, 2);
    call.stage(new CompletableFuture<String>(), false);
    call.supplier(
        () -> {
          throw failure;
        },
        false);
    call.combine(() -> new Enriched("never", 0L));

    assertSame(failure, Settle.failureOf(call));
  }

  @Test
  void supplierThatReturnsNullIsAFailureOutcomeOfASettleAllJoin() throws InterruptedException {
    Supplier<CompletionStage<Long>> nothing = () -> null;
    JoinCall<Settled> call = JoinCall.settleAll(rejecting, 2);
    JoinCall.Slot<String> u = call.stage(CompletableFuture.completedFuture("ann"), false);
    JoinCall.Slot<Long> n = call.supplier(nothing, false);
    call.combine(() -> new Settled(u.outcome(), n.outcome()));

    Outcome<Long> count = Settle.valueOf(call).count();
    assertInstanceOf(NullPointerException.class, ((Outcome.Failure<Long>) count).error());
  }

  @Test
  void supplierThatThrowsIsOneFailureOfAFirstSuccessRaceThatAnotherBranchWins()
      throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(rejecting, 2)
            .supplier(
                () -> {
                  throw new IllegalStateException("cannot start");
                },
                false,
                UserSource.Db::new)
            .stage(cache, false, UserSource.Cache::new);

    cache.complete("ann");

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
  }
}
