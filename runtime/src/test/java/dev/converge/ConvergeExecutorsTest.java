package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The default executor of generated {@code create()} methods: virtual threads on 21+, daemon
 * platform threads named {@code converge-N} on 17-20. It is process-wide and never shut down, so
 * these tests only submit short tasks to it.
 */
class ConvergeExecutorsTest {

  private static final boolean VIRTUAL_THREADS_EXPECTED = Runtime.version().feature() >= 21;

  /** Runs a task on the default executor and returns the thread it ran on. */
  private static Thread threadOfATask() throws InterruptedException {
    return Settle.valueOf(
        CompletableFuture.supplyAsync(Thread::currentThread, ConvergeExecutors.defaultExecutor()));
  }

  @Test
  void defaultExecutorRunsTasks() throws InterruptedException {
    assertEquals(
        "ran",
        Settle.valueOf(
            CompletableFuture.supplyAsync(() -> "ran", ConvergeExecutors.defaultExecutor())));
  }

  @Test
  void defaultExecutorCannotBeShutDownOrClosed() throws InterruptedException {
    Executor executor = ConvergeExecutors.defaultExecutor();

    // Neither an ExecutorService (shutdown) nor AutoCloseable (try-with-resources on 19+): the
    // executor behind every generated create() is out of every caller's reach.
    assertFalse(executor instanceof ExecutorService, executor.getClass().getName());
    assertFalse(executor instanceof AutoCloseable, executor.getClass().getName());
    assertEquals(
        "still runs", Settle.valueOf(CompletableFuture.supplyAsync(() -> "still runs", executor)));
  }

  @Test
  void defaultExecutorIsOneSharedInstance() {
    assertSame(ConvergeExecutors.defaultExecutor(), ConvergeExecutors.defaultExecutor());
  }

  @Test
  void defaultExecutorUsesVirtualThreadsExactlyOnJdksThatHaveThem() throws InterruptedException {
    Thread thread = threadOfATask();

    assertEquals(VIRTUAL_THREADS_EXPECTED, ConvergeExecutors.usesVirtualThreads());
    assertEquals(
        VIRTUAL_THREADS_EXPECTED, thread.toString().contains("VirtualThread"), thread.toString());
  }

  @Test
  void defaultExecutorThreadsNeverKeepTheJvmAlive() throws InterruptedException {
    // Virtual threads are always daemons; the platform fallback makes its threads daemons.
    assertTrue(threadOfATask().isDaemon());
  }

  @Test
  void defaultExecutorPlatformThreadsAreNamedConverge() throws InterruptedException {
    Thread thread = threadOfATask();

    if (VIRTUAL_THREADS_EXPECTED) {
      // Virtual threads of newVirtualThreadPerTaskExecutor() are unnamed; nothing to name.
      assertEquals("", thread.getName());
    } else {
      assertTrue(thread.getName().matches("converge-\\d+"), thread.getName());
    }
  }

  @Test
  void defaultExecutorRunsCallableBranches() throws InterruptedException {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(ConvergeExecutors.defaultExecutor(), 2)
            .stage(new CompletableFuture<String>(), false, UserSource.Cache::new)
            .callable(() -> 5, false, UserSource.Db::new);

    assertEquals(new UserSource.Db(5), race.await());
  }
}
