package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * How the engine observes a branch must not itself cost a stack trace. A callback registered with
 * {@code whenComplete} completes its own dependent stage with a new {@link CompletionException}
 * wrapping the branch's failure, filling in a stack trace, for every failed or cancelled branch;
 * that would undo the point of the stack-trace-free {@link BranchCancelledException}. The
 * dependent stage the engine creates on a branch must therefore complete normally, whatever the
 * branch did. ({@link RecordingFuture} exposes the dependents created on it.)
 */
class BranchObservationCostTest {

  @Test
  void observingAFailedBranchWrapsNothing() {
    RecordingFuture<Integer> db = new RecordingFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(Runnable::run, 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);

    db.completeExceptionally(new IOException("db down"));

    assertFalse(race.isDone());
    assertEquals(1, db.dependents().size(), "the engine registers one callback per branch");
    CompletableFuture<?> callbackStage = db.dependents().get(0);
    assertTrue(callbackStage.isDone());
    assertFalse(
        callbackStage.isCompletedExceptionally(),
        "the engine's callback stage wrapped the failure in a new CompletionException");
  }

  @Test
  void observingACancelledLoserWrapsNothing() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RecordingFuture<Integer> db = new RecordingFuture<>();
    JoinCall<String> call = JoinCall.failFast(Runnable::run, 2);
    call.stage(cache, false);
    call.stage(db, false);
    call.combine(() -> "never");

    cache.completeExceptionally(new IOException("user failed"));

    assertTrue(db.isCancelled());
    CompletableFuture<?> callbackStage = db.dependents().get(0);
    assertTrue(callbackStage.isDone());
    assertFalse(
        callbackStage.isCompletedExceptionally(),
        "the engine's callback stage wrapped the cancellation in a new CompletionException");
  }
}
