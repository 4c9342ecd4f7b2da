package dev.converge;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for futures in tests, bounded by {@link TestPool#TIMEOUT_SECONDS} so that a broken engine
 * fails a test instead of hanging the build. The bound is a safety net, never a way to let time pass.
 */
final class Settle {
  private Settle() {}

  /** Waits for {@code future} and returns its value, failing the test if it failed. */
  static <T> T valueOf(Future<T> future) throws InterruptedException {
    try {
      return future.get(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected a value but the future failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete", e);
    }
  }

  /**
   * Waits for {@code future} and returns the exception it failed with: the cause of the
   * {@link ExecutionException}, or the {@link CancellationException} of a cancelled future.
   */
  static Throwable failureOf(Future<?> future) throws InterruptedException {
    try {
      Object value = future.get(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return fail("expected a failure but the future completed with " + value);
    } catch (ExecutionException e) {
      assertNotNull(e.getCause());
      return e.getCause();
    } catch (CancellationException e) {
      return e;
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete", e);
    }
  }

  /**
   * Returns the exception a dependent stage of {@code future} fails with once {@code future} has
   * failed, unwrapped from the {@link CompletionException} dependents add.
   */
  static Throwable dependentFailureOf(CompletableFuture<?> future) throws InterruptedException {
    // handle() sees the dependent's failure as stored; get() would already have unwrapped it.
    Throwable failure = valueOf(future.thenApply(value -> value).handle((value, error) -> error));
    assertTrue(failure instanceof CompletionException, "dependents wrap the cause: " + failure);
    return failure.getCause();
  }

  /** Waits for {@code latch}, failing the test if it is not released in time. */
  static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertTrue(
        latch.await(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out waiting: " + what);
  }

  /** Waits until {@code future} has completed, however it completed. */
  static void completion(CompletableFuture<?> future) throws InterruptedException {
    try {
      future.handle((value, error) -> null).get(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("handle never fails", e);
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete", e);
    }
  }
}
