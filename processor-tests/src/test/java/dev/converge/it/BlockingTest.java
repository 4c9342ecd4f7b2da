package dev.converge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The blocking form: methods returning the result itself and declaring InterruptedException. */
class BlockingTest {
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Lookups lookups = ConvergeLookups.create(executor);

  @AfterEach
  void shutDown() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void blockingRaceReturnsTheWinningVariant() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Fastest fastest =
        lookups.fastest(
            () -> {
              never.await();
              return "slow";
            },
            () -> "quick");

    assertEquals(new Fastest.Right("quick"), fastest);
  }

  @Test
  void blockingJoinReturnsTheRecord() throws Exception {
    Both both =
        lookups.both(
            CompletableFuture.completedFuture("left"), () -> CompletableFuture.completedFuture(2));

    assertEquals(new Both("left", 2), both);
  }

  @Test
  void declaredCheckedFailureIsThrownAsItself() {
    IOException failure = new IOException("disk gone");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                lookups.both(
                    CompletableFuture.completedFuture("left"),
                    () -> CompletableFuture.failedFuture(failure)));
    assertSame(failure, thrown);
  }

  @Test
  void undeclaredCheckedFailureIsWrappedInCompletionException() {
    TimeoutException failure = new TimeoutException("too slow");
    CompletionException thrown =
        assertThrows(
            CompletionException.class,
            () ->
                lookups.fastest(
                    () -> {
                      throw failure;
                    },
                    () -> {
                      new CountDownLatch(1).await();
                      return "never";
                    }));
    assertSame(failure, thrown.getCause());
  }

  @Test
  void uncheckedFailureIsThrownAsItself() {
    IllegalStateException failure = new IllegalStateException("broken");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () -> lookups.both(CompletableFuture.failedFuture(failure), CompletableFuture::new));
    assertSame(failure, thrown);
  }

  @Test
  void interruptingTheCallerCancelsEveryBranchAndThrows() throws Exception {
    CountDownLatch bothStarted = new CountDownLatch(2);
    CountDownLatch bothInterrupted = new CountDownLatch(2);
    AtomicReference<Throwable> callerOutcome = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                lookups.fastest(
                    () -> block(bothStarted, bothInterrupted),
                    () -> block(bothStarted, bothInterrupted));
              } catch (Throwable e) {
                callerOutcome.set(e);
              }
            });
    caller.start();
    assertTrue(bothStarted.await(10, TimeUnit.SECONDS));

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertTrue(callerOutcome.get() instanceof InterruptedException, "caller sees the interrupt");
    assertTrue(bothInterrupted.await(10, TimeUnit.SECONDS), "every branch is interrupted");
  }

  private static String block(CountDownLatch started, CountDownLatch interrupted)
      throws InterruptedException {
    started.countDown();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      interrupted.countDown();
      throw e;
    }
    return "never";
  }
}
