package dev.converge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.AllFailedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Generated {@code @Race} methods, end to end. */
class RaceTest {
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Lookups lookups = ConvergeLookups.create(executor);

  @AfterEach
  void shutDown() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void firstCompletedBranchWinsWithItsVariant() throws Exception {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<UserSource> user = lookups.user(cache, db);
    assertFalse(user.isDone());

    db.complete(42);

    UserSource winner = user.get(10, TimeUnit.SECONDS);
    assertEquals(new UserSource.Db(42), winner);
    assertEquals(42, winner.value());
    assertEquals("db 42", winner.fold(name -> "cache " + name, age -> "db " + age));
  }

  @Test
  void firstCompletedFailureFailsTheRaceWithThatException() {
    IllegalStateException failure = new IllegalStateException("cache down");
    CompletableFuture<UserSource> user =
        lookups.user(CompletableFuture.failedFuture(failure), new CompletableFuture<>());

    ExecutionException thrown = assertThrows(ExecutionException.class, user::get);
    assertSame(failure, thrown.getCause());
  }

  @Test
  void alreadyCompleteBranchDecidesOnTheCallersThread() {
    CompletableFuture<UserSource> user =
        lookups.user(CompletableFuture.completedFuture("ada"), new CompletableFuture<>());

    assertTrue(user.isDone());
    assertEquals(new UserSource.Cache("ada"), user.join());
  }

  @Test
  void keptBranchIsNotCancelledWhenItLoses() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<UserSource> user = lookups.user(cache, db);

    cache.complete("ada");

    assertEquals(new UserSource.Cache("ada"), user.join());
    assertFalse(db.isDone(), "@Keep branch keeps running");
  }

  @Test
  void losingFutureIsCancelled() throws Exception {
    CompletableFuture<Long> primary = new CompletableFuture<>();
    CompletableFuture<PriceSource> price = lookups.price(() -> primary, () -> 7L);

    assertEquals(new PriceSource.Mirror(7L), price.get(10, TimeUnit.SECONDS));
    assertTrue(primary.isCancelled(), "the losing primary is cancelled");
  }

  @Test
  void losingCallableIsInterrupted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CompletableFuture<Long> primary = new CompletableFuture<>();
    CompletableFuture<PriceSource> price =
        lookups.price(
            () -> primary,
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
              return 0L;
            });
    assertTrue(started.await(10, TimeUnit.SECONDS));

    primary.complete(5L);

    assertEquals(new PriceSource.Primary(5L), price.get(10, TimeUnit.SECONDS));
    assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the losing callable is interrupted");
  }

  @Test
  void firstSuccessIgnoresAFailureWhileAnotherBranchMaySucceed() throws Exception {
    CompletableFuture<Long> primary = new CompletableFuture<>();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<PriceSource> price =
        lookups.price(
            () -> primary,
            () -> {
              release.await();
              return 9L;
            });

    primary.completeExceptionally(new IllegalStateException("primary down"));
    assertFalse(price.isDone());
    release.countDown();

    assertEquals(new PriceSource.Mirror(9L), price.get(10, TimeUnit.SECONDS));
  }

  @Test
  void firstSuccessFailsWithEveryFailureInParameterOrderWhenAllFail() {
    IllegalStateException primaryFailure = new IllegalStateException("primary down");
    IllegalStateException mirrorFailure = new IllegalStateException("mirror down");
    CompletableFuture<Long> primary = new CompletableFuture<>();
    CompletableFuture<PriceSource> price =
        lookups.price(
            () -> primary,
            () -> {
              throw mirrorFailure;
            });
    primary.completeExceptionally(primaryFailure);

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> price.get(10, TimeUnit.SECONDS));
    AllFailedException allFailed = assertInstanceOf(AllFailedException.class, thrown.getCause());
    assertEquals(2, allFailed.getSuppressed().length);
    assertSame(primaryFailure, allFailed.getSuppressed()[0]);
    assertSame(mirrorFailure, allFailed.getSuppressed()[1]);
  }

  @Test
  void cancellingTheResultCancelsEveryBranchExceptKeptOnes() {
    CompletableFuture<String> cache = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<UserSource> user = lookups.user(cache, db);

    user.cancel(true);

    assertTrue(cache.isCancelled());
    assertFalse(db.isDone());
  }

  @Test
  void nullArgumentIsANullPointerExceptionNamingTheParameter() {
    CompletableFuture<Integer> db = new CompletableFuture<>();
    NullPointerException thrown =
        assertThrows(NullPointerException.class, () -> lookups.user(null, db));
    assertEquals("cache", thrown.getMessage());
    assertFalse(db.isDone(), "nothing started before the check");
  }

  @Test
  void branchValueMayBeNull() {
    CompletableFuture<UserSource> user =
        lookups.user(CompletableFuture.completedFuture(null), new CompletableFuture<>());
    assertEquals(new UserSource.Cache(null), user.join());
  }
}
