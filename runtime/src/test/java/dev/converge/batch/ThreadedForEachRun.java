package dev.converge.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One seeded run of forEach(maxInFlight, handler) with the stages completed on several worker
 * threads, each picking an outstanding stage at random (with its own Random, seeded from the seed),
 * while the test thread sends items in random bursts, moves virtual time, and sometimes closes the
 * iterator. The thread interleaving is not reproducible, but every choice is, and the rules checked
 * hold under any interleaving.
 */
final class ThreadedForEachRun {

  private record Held(long sequence, CompletableFuture<Void> stage) {}

  private final long seed;
  private final Random random;
  final int maxInFlight;
  private final int items;
  private final Set<Long> failAt = new java.util.HashSet<>();
  private final int closeAfter;
  private final String description;
  private final ManualScheduler time = new ManualScheduler();
  private final BatchChannel<Integer> channel;
  private final BatchIterator<Integer> iterator;

  private final Object poolLock = new Object();
  private final List<Held> pool = new ArrayList<>();
  private boolean stop;

  // The handler is never called concurrently (which it checks), so its own state is plain.
  private final List<Batch<Integer>> handed = new ArrayList<>();
  private final Random handlerRandom;
  private int maxOutstanding;

  private final AtomicBoolean inHandler = new AtomicBoolean();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();
  private volatile boolean failureReturned;
  private final AtomicInteger lateHandOuts = new AtomicInteger();
  private final AtomicReference<String> violation = new AtomicReference<>();

  ThreadedForEachRun(long seed) {
    this.seed = seed;
    random = new Random(seed);
    handlerRandom = new Random(~seed);
    maxInFlight = 1 + random.nextInt(8);
    int maxSize = 1 + random.nextInt(4);
    int prefetch = 1 + random.nextInt(3);
    long maxWaitMillis = 1 + random.nextInt(20);
    items = 50 + random.nextInt(250);
    if (random.nextInt(3) == 0) {
      for (int i = 1 + random.nextInt(3); i > 0; i--) {
        failAt.add((long) random.nextInt(items / maxSize));
      }
    }
    closeAfter = random.nextInt(5) == 0 ? random.nextInt(items) : -1;
    channel = BatchChannel.bounded(items + 1);
    iterator =
        BatchIterator.builder(channel)
            .maxSize(maxSize)
            .prefetch(prefetch)
            .maxWait(Duration.ofMillis(maxWaitMillis))
            .scheduler(time)
            .build();
    description =
        "seed "
            + seed
            + ": maxInFlight "
            + maxInFlight
            + ", maxSize "
            + maxSize
            + ", prefetch "
            + prefetch
            + ", maxWait "
            + maxWaitMillis
            + "ms, "
            + items
            + " items"
            + ", failing batches "
            + failAt
            + (closeAfter >= 0 ? ", close after " + closeAfter : "");
  }

  /** Runs to the end on the test thread and {@code workers} threads of {@code executor}. */
  void run(ExecutorService executor, int workers) {
    try {
      runChecked(executor, workers);
    } catch (Throwable e) {
      throw new AssertionError(description + ": " + e.getMessage(), e);
    }
  }

  int maxOutstanding() {
    return maxOutstanding;
  }

  private void runChecked(ExecutorService executor, int workers) throws Exception {
    CompletableFuture<Void> result = iterator.forEach(maxInFlight, this::handle);
    result.whenComplete(
        (ignored, error) -> {
          if (completed.get() != handed.size()) {
            violate("the result completed before every stage handed out had completed");
          }
        });
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Random workerRandom = new Random(seed * 31 + w);
      running.add(executor.submit(() -> completeStages(workerRandom)));
    }
    int sent = produce();
    List<Integer> leftovers = closeAfter >= 0 ? iterator.close() : List.of();
    channel.complete();
    try {
      result.get(60, TimeUnit.SECONDS); // a guard against a hang, not a wait for something
    } catch (ExecutionException e) {
      checkFailure(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the loop hangs", e);
    } finally {
      synchronized (poolLock) {
        stop = true;
        poolLock.notifyAll();
      }
      for (Future<?> worker : running) {
        worker.get(60, TimeUnit.SECONDS);
      }
    }
    if (violation.get() != null) {
      throw new AssertionError(violation.get());
    }
    if (!failed.isEmpty()) {
      check(result.isCompletedExceptionally(), "a failed stage fails the result");
      return;
    }
    List<Integer> handedItems = new ArrayList<>();
    for (Batch<Integer> batch : handed) {
      handedItems.addAll(batch.items());
    }
    if (closeAfter < 0) {
      check(handedItems.equals(Fixture.range(0, items)), "every item handed, in order");
    } else {
      List<Integer> all = new ArrayList<>(handedItems);
      all.addAll(leftovers);
      all.addAll(channel.poll(Integer.MAX_VALUE).toCompletableFuture().join());
      check(all.equals(Fixture.range(0, sent)), "nothing lost on close");
    }
  }

  /** Sends every item (or until closing time, or until the loop closed the iterator). */
  private int produce() {
    int sent = 0;
    while (sent < items && sent != closeAfter) {
      if (random.nextInt(10) < 7) {
        int burst = 1 + random.nextInt(8);
        for (int i = 0; i < burst && sent < items && sent != closeAfter; i++) {
          try {
            check(channel.trySend(sent), "the channel has room");
          } catch (IllegalStateException closedAfterAFailure) {
            return sent;
          }
          sent++;
        }
      } else {
        time.advance(Duration.ofMillis(random.nextInt(25)));
      }
    }
    return sent;
  }

  private CompletionStage<?> handle(Batch<Integer> batch) {
    if (!inHandler.compareAndSet(false, true)) {
      violate("the handler was called concurrently with itself");
    }
    try {
      if (batch.sequence() != handed.size()) {
        violate("batch " + batch.sequence() + " handed out after " + handed.size() + " batches");
      }
      if (failureReturned) {
        lateHandOuts.incrementAndGet();
      }
      handed.add(batch);
      int now = outstanding.incrementAndGet();
      if (now > maxInFlight) {
        violate(now + " stages outstanding");
      }
      maxOutstanding = Math.max(maxOutstanding, now);
      if (!failAt.contains(batch.sequence()) && handlerRandom.nextInt(5) == 0) {
        outstanding.decrementAndGet();
        completed.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> stage = new CompletableFuture<>();
      synchronized (poolLock) {
        pool.add(new Held(batch.sequence(), stage));
        poolLock.notifyAll();
      }
      return stage;
    } finally {
      inHandler.set(false);
    }
  }

  private Void completeStages(Random workerRandom) throws InterruptedException {
    while (true) {
      Held held;
      synchronized (poolLock) {
        while (pool.isEmpty() && !stop) {
          poolLock.wait();
        }
        if (pool.isEmpty()) {
          return null;
        }
        held = pool.remove(workerRandom.nextInt(pool.size()));
      }
      outstanding.decrementAndGet();
      completed.incrementAndGet();
      if (failAt.contains(held.sequence())) {
        IllegalStateException error = new IllegalStateException("batch " + held.sequence());
        failed.add(error);
        held.stage().completeExceptionally(error);
        failureReturned = true;
      } else {
        held.stage().complete(null);
      }
    }
  }

  private void checkFailure(Throwable cause) {
    Set<Throwable> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    reported.add(cause);
    Collections.addAll(reported, cause.getSuppressed());
    Set<Throwable> expected = Collections.newSetFromMap(new IdentityHashMap<>());
    expected.addAll(failed);
    check(reported.equals(expected), "one failure, the others suppressed: " + reported);
    check(cause.getSuppressed().length == failed.size() - 1, "each failure reported once");
    // Only a hand-out whose check preceded the failure can start after the failing completion.
    check(lateHandOuts.get() <= 1, lateHandOuts.get() + " batches handed out after a failure");
  }

  private void violate(String rule) {
    violation.compareAndSet(null, rule);
  }

  private static void check(boolean condition, String rule) {
    if (!condition) {
      throw new AssertionError(rule);
    }
  }
}
