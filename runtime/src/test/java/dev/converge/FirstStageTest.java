package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * {@link RaceCall#firstStage}, the entry point generated code uses for a first parameter that is a
 * stage: it behaves exactly as {@link RaceCall#stage} does for the first branch, and only there.
 */
class FirstStageTest {

  private final CountingExecutor executor = new CountingExecutor(Runnable::run);

  @Test
  void completedFirstStageWinsOnTheCallersThreadAndLaterStagesArriveDecided() {
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 3)
            .firstStage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new)
            .stage(CompletableFuture.completedFuture(3L), false, UserSource.Mirror::new);

    assertEquals(new UserSource.Cache("ann"), race.getNow(null));
    assertTrue(db.isCancelled(), "a pending stage attached after the decision is cancelled");
    assertEquals(0, executor.submissions());
  }

  @Test
  void pendingFirstStageIsCancelledWhenALaterCompletedStageWins() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .firstStage(cache, false, UserSource.Cache::new)
            .stage(CompletableFuture.completedFuture(7), false, UserSource.Db::new);

    assertEquals(new UserSource.Db(7), race.getNow(null));
    assertTrue(cache.isCancelled());
  }

  @Test
  void keptPendingFirstStageIsNotCancelled() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall.<UserSource>firstCompleted(executor, 2)
        .firstStage(cache, true, UserSource.Cache::new)
        .stage(CompletableFuture.completedFuture(7), false, UserSource.Db::new);

    assertFalse(cache.isDone());
  }

  @Test
  void pendingFirstStageDecidesWhenItCompletesLater() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .firstStage(cache, false, UserSource.Cache::new)
            .stage(new CompletableFuture<Integer>(), false, UserSource.Db::new);

    cache.complete("late");

    assertEquals(new UserSource.Cache("late"), Settle.valueOf(race));
  }

  @Test
  void failedFirstStageDecidesAFirstCompletedRace() throws InterruptedException {
    IOException failure = new IOException("cache down");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .firstStage(CompletableFuture.failedFuture(failure), false, UserSource.Cache::new)
            .stage(CompletableFuture.completedFuture(7), false, UserSource.Db::new);

    assertSame(failure, Settle.failureOf(race));
  }

  @Test
  void failedFirstStageIsCountedByAFirstSuccessRace() throws InterruptedException {
    IOException failure = new IOException("cache down");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(executor, 2)
            .firstStage(CompletableFuture.failedFuture(failure), false, UserSource.Cache::new)
            .stage(CompletableFuture.completedFuture(7), false, UserSource.Db::new);

    assertEquals(new UserSource.Db(7), Settle.valueOf(race));
  }

  @Test
  void raceCancelledBeforeItsFirstStageKeepsItsCancellation() {
    RaceCall<UserSource> race = RaceCall.firstCompleted(executor, 2);
    race.cancel(true);
    CompletableFuture<Integer> db = new CompletableFuture<>();

    race.firstStage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new);

    assertThrows(CancellationException.class, () -> race.getNow(null));
    assertTrue(db.isCancelled());
  }

  @Test
  void stageThatIsNoPlainFutureIsAttachedAsAPendingBranch() throws InterruptedException {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletionStage<String> minimal = source.minimalCompletionStage();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .firstStage(minimal, false, UserSource.Cache::new)
            .stage(new CompletableFuture<Integer>(), false, UserSource.Db::new);

    source.complete("ann");

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
  }

  @Test
  void firstStageAfterAnotherBranchThrowsIllegalStateException() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(executor, 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new);

    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () -> race.firstStage(new CompletableFuture<Integer>(), false, UserSource.Db::new));
    assertEquals("the first branch of this call is already attached", thrown.getMessage());
  }

  @Test
  void firstStageRejectsANullStage() {
    RaceCall<UserSource> race = RaceCall.firstCompleted(executor, 2);

    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () -> race.firstStage((CompletionStage<String>) null, false, UserSource.Cache::new));
    assertEquals("stage", thrown.getMessage());
  }
}
