package dev.converge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, race FIRST_SUCCESS: the first success wins; if every branch fails, an
 * {@link AllFailedException} holds each failure as suppressed, in parameter order.
 */
class RaceCallFirstSuccessTest {

  private final TestPool pool = new TestPool("race-first-success", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  private RaceCall<UserSource> race(
      CompletableFuture<String> cache,
      CompletableFuture<Integer> db,
      CompletableFuture<Long> mirror) {
    return RaceCall.<UserSource>firstSuccess(pool.executor(), 3)
        .stage(cache, false, UserSource.Cache::new)
        .stage(db, false, UserSource.Db::new)
        .stage(mirror, false, UserSource.Mirror::new);
  }

  @Test
  void firstSuccessWinsOverEarlierFailures() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<Long> mirror = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, db, mirror);

    cache.completeExceptionally(new IOException("cache down"));
    mirror.completeExceptionally(new TimeoutException("mirror slow"));
    assertFalse(race.isDone());
    db.complete(7);

    assertEquals(new UserSource.Db(7), Settle.valueOf(race));
  }

  @Test
  void failureDoesNotCancelTheOtherBranches() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<Long> mirror = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, db, mirror);

    cache.completeExceptionally(new IOException("cache down"));

    assertFalse(race.isDone());
    assertFalse(db.isDone());
    assertFalse(mirror.isDone());
  }

  @Test
  void everyBranchFailingGivesAllFailedExceptionWithFailuresInParameterOrder()
      throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<Long> mirror = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, db, mirror);
    IOException cacheFailure = new IOException("cache down");
    IllegalStateException dbFailure = new IllegalStateException("db broken");
    TimeoutException mirrorFailure = new TimeoutException("mirror slow");

    // Fail in reverse parameter order: the suppressed order must still be parameter order.
    mirror.completeExceptionally(mirrorFailure);
    db.completeExceptionally(dbFailure);
    cache.completeExceptionally(cacheFailure);

    AllFailedException allFailed =
        assertInstanceOf(AllFailedException.class, Settle.failureOf(race));
    assertArrayEquals(
        new Throwable[] {cacheFailure, dbFailure, mirrorFailure}, allFailed.getSuppressed());
  }

  @Test
  void suppressedFailuresAreUnwrappedFromCompletionException() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<Long> mirror = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, db, mirror);
    IOException cacheFailure = new IOException("cache down");
    IllegalStateException dbFailure = new IllegalStateException("db broken");
    IllegalArgumentException mirrorFailure = new IllegalArgumentException("mirror broken");

    cache.completeExceptionally(new CompletionException(cacheFailure));
    db.completeExceptionally(dbFailure);
    mirror.completeExceptionally(new CompletionException(mirrorFailure));

    AllFailedException allFailed =
        assertInstanceOf(AllFailedException.class, Settle.failureOf(race));
    assertArrayEquals(
        new Throwable[] {cacheFailure, dbFailure, mirrorFailure}, allFailed.getSuppressed());
  }

  @Test
  void failuresOfEveryBranchKindAreSuppressedInParameterOrder() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    IOException cacheFailure = new IOException("cache down");
    IllegalStateException dbFailure = new IllegalStateException("db broken");
    IllegalArgumentException mirrorFailure = new IllegalArgumentException("mirror broken");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(pool.executor(), 3)
            .stage(cache, false, UserSource.Cache::new)
            .callable(
                () -> {
                  throw dbFailure;
                },
                false,
                UserSource.Db::new)
            .supplier(
                () -> CompletableFuture.<Long>failedFuture(mirrorFailure),
                false,
                UserSource.Mirror::new);

    cache.completeExceptionally(cacheFailure);

    AllFailedException allFailed =
        assertInstanceOf(AllFailedException.class, Settle.failureOf(race));
    assertArrayEquals(
        new Throwable[] {cacheFailure, dbFailure, mirrorFailure}, allFailed.getSuppressed());
  }

  @Test
  void nullValueWinsAsVariantHoldingNull() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race = race(cache, db, new CompletableFuture<>());

    cache.completeExceptionally(new IOException("cache down"));
    db.complete(null);

    assertEquals(new UserSource.Db(null), Settle.valueOf(race));
  }

  @Test
  void callableSuccessWinsAfterStageFailure() throws InterruptedException {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(pool.executor(), 2)
            .stage(
                CompletableFuture.<String>failedFuture(new IOException("cache down")),
                false,
                UserSource.Cache::new)
            .callable(() -> 5, false, UserSource.Db::new);

    assertEquals(new UserSource.Db(5), Settle.valueOf(race));
  }

  @Test
  void ofWithFirstSuccessModeBehavesAsFirstSuccess() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>of(Race.Mode.FIRST_SUCCESS, pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);

    cache.completeExceptionally(new IOException("cache down"));
    db.complete(1);

    assertEquals(new UserSource.Db(1), Settle.valueOf(race));
  }

  @Test
  void allFailedMessageNamesTheFirstFailure() throws InterruptedException {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstSuccess(pool.executor(), 2)
            .stage(cache, false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);
    IOException cacheFailure = new IOException("cache down");

    db.completeExceptionally(new IllegalStateException("db broken"));
    cache.completeExceptionally(cacheFailure);

    Throwable failure = Settle.failureOf(race);
    assertSame(AllFailedException.class, failure.getClass());
    assertEquals(
        "all 2 branches of the race failed; the first failure was: " + cacheFailure,
        failure.getMessage());
  }
}
