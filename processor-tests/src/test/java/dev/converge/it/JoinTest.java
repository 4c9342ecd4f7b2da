package dev.converge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.Outcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Generated {@code @Join} methods, end to end. */
class JoinTest {
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Lookups lookups = ConvergeLookups.create(executor);

  @AfterEach
  void shutDown() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void failFastJoinBuildsTheRecordFromEveryValue() throws Exception {
    CompletableFuture<String> name = new CompletableFuture<>();
    CompletableFuture<Profile> profile = lookups.profile(name, () -> List.of("o-1", "o-2"));

    name.complete("ada");

    assertEquals(new Profile("ada", List.of("o-1", "o-2")), profile.get(10, TimeUnit.SECONDS));
  }

  @Test
  void failFastJoinFailsAtOnceAndInterruptsTheOtherBranch() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CompletableFuture<String> name = new CompletableFuture<>();
    CompletableFuture<Profile> profile =
        lookups.profile(
            name,
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
              return List.of();
            });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    IllegalStateException failure = new IllegalStateException("no such user");

    name.completeExceptionally(failure);

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> profile.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause());
    assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the other branch is interrupted");
  }

  @Test
  void settleAllJoinKeepsEachOutcome() {
    IllegalStateException failure = new IllegalStateException("no age");
    CompletableFuture<String> name = new CompletableFuture<>();
    CompletableFuture<Integer> age = new CompletableFuture<>();
    CompletableFuture<Settled> settled = lookups.settle(name, age).toCompletableFuture();

    age.completeExceptionally(failure);
    assertFalse(settled.isDone(), "a failure does not settle the join early");
    name.complete("ada");

    Settled result = settled.join();
    assertEquals(new Outcome.Success<>("ada"), result.name());
    assertEquals(new Outcome.Failure<Integer>(failure), result.age());
  }

  @Test
  void joinOverCompletedInputsGivesTheSameOutcomesWithAndWithoutAFailure() {
    // All inputs complete: the generated method builds the record without the engine. One of
    // them failed: the engine's path. Both must give what the engine would.
    IllegalStateException failure = new IllegalStateException("no age");
    Settled allSucceeded =
        lookups
            .settle(CompletableFuture.completedFuture("ada"), CompletableFuture.completedFuture(36))
            .toCompletableFuture()
            .getNow(null);
    Settled oneFailed =
        lookups
            .settle(
                CompletableFuture.completedFuture("ada"), CompletableFuture.failedFuture(failure))
            .toCompletableFuture()
            .getNow(null);

    assertEquals(
        new Settled(new Outcome.Success<>("ada"), new Outcome.Success<>(36)), allSucceeded);
    assertEquals(
        new Settled(new Outcome.Success<>("ada"), new Outcome.Failure<Integer>(failure)),
        oneFailed);
  }

  @Test
  void cancellingAJoinCancelsItsBranches() {
    CompletableFuture<String> name = new CompletableFuture<>();
    CompletableFuture<Integer> age = new CompletableFuture<>();
    CompletableFuture<Settled> settled = lookups.settle(name, age).toCompletableFuture();

    settled.cancel(true);

    assertTrue(name.isCancelled());
    assertTrue(age.isCancelled());
  }

  @Test
  void nullArgumentIsANullPointerExceptionNamingTheParameter() {
    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () -> lookups.profile(CompletableFuture.completedFuture("ada"), null));
    assertEquals("orders", thrown.getMessage());
  }
}
