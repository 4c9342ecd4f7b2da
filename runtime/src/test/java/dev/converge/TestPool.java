package dev.converge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small fixed pool of daemon threads for one test; {@link #shutdown()} stops it and waits, so no
 * test leaves threads behind. (Not {@link AutoCloseable}: its close would throw
 * {@link InterruptedException}, which {@code -Xlint:try} rightly warns about.)
 */
final class TestPool {
  /** Long enough for any step of a healthy test on a busy machine; only reached on failure. */
  static final long TIMEOUT_SECONDS = 10;

  private final ExecutorService executor;

  TestPool(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        task -> {
          Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    this.executor = Executors.newFixedThreadPool(threads, factory);
  }

  ExecutorService executor() {
    return executor;
  }

  void shutdown() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(
        executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS),
        "test pool threads did not end");
  }
}
