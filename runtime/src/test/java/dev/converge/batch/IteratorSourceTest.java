package dev.converge.batch;

import static dev.converge.batch.PublisherSourceTest.failureOf;
import static dev.converge.batch.PublisherSourceTest.future;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IteratorSourceTest {

  private static final RuntimeException BOOM = new IllegalStateException("boom");

  private final List<ExecutorService> executors = new ArrayList<>();

  @AfterEach
  void shutDownExecutors() throws InterruptedException {
    for (ExecutorService executor : executors) {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "executor threads left behind");
    }
  }

  private ExecutorService newExecutor(int threads) {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    executors.add(executor);
    return executor;
  }

  @Test
  void nullArgumentsAreRejectedByName() {
    NullPointerException noIterator =
        assertThrows(
            NullPointerException.class, () -> BatchSources.fromIterator(null, Runnable::run));
    assertEquals("iterator", noIterator.getMessage());
    NullPointerException noExecutor =
        assertThrows(
            NullPointerException.class,
            () -> BatchSources.fromIterator(List.of(1).iterator(), null));
    assertEquals("executor", noExecutor.getMessage());
  }

  @Test
  void pullsRunOnTheExecutorNotOnThePollingThread() {
    ManualExecutor executor = new ManualExecutor();
    CountingIterator iterator = new CountingIterator(3);
    BatchSource<Integer> source = BatchSources.fromIterator(iterator, executor);

    CompletableFuture<List<Integer>> poll = future(source.poll(3));

    assertEquals(0, iterator.nextCalls);
    assertFalse(poll.isDone());
    executor.runAll();
    assertEquals(List.of(0), poll.join());
  }

  @Test
  void finiteIteratorGivesAllItemsInOrderThenEmptyListForever() {
    ManualExecutor executor = new ManualExecutor();
    BatchSource<Integer> source = BatchSources.fromIterator(new CountingIterator(10), executor);

    List<Integer> received = new ArrayList<>();
    while (true) {
      CompletableFuture<List<Integer>> poll = future(source.poll(4));
      executor.runAll();
      List<Integer> batch = poll.join();
      if (batch.isEmpty()) {
        break;
      }
      assertTrue(batch.size() <= 4, "batch larger than max");
      received.addAll(batch);
    }

    assertEquals(IntStream.range(0, 10).boxed().collect(Collectors.toList()), received);
    assertEquals(List.of(), future(source.poll(4)).join());
    assertEquals(List.of(), future(source.poll(4)).join());
  }

  @Test
  void pollCompletesWithTheFirstItemAndTheRestIsReadAheadUpToMax() {
    ManualExecutor executor = new ManualExecutor();
    CountingIterator iterator = new CountingIterator(Integer.MAX_VALUE);
    BatchSource<Integer> source = BatchSources.fromIterator(iterator, executor);

    CompletableFuture<List<Integer>> first = future(source.poll(5));
    executor.runAll();

    assertEquals(List.of(0), first.join());
    assertEquals(5, iterator.nextCalls); // read ahead to max, and no further
    CompletableFuture<List<Integer>> second = future(source.poll(5));
    assertTrue(second.isDone(), "buffered items are returned on the caller's thread");
    assertEquals(List.of(1, 2, 3, 4), second.join());
  }

  @Test
  void readAheadStopsWhileNobodyPolls() {
    ManualExecutor executor = new ManualExecutor();
    CountingIterator iterator = new CountingIterator(Integer.MAX_VALUE);
    BatchSource<Integer> source = BatchSources.fromIterator(iterator, executor);
    future(source.poll(3));
    executor.runAll();

    executor.runAll();

    assertEquals(3, iterator.nextCalls);
    assertEquals(0, executor.tasks.size());
  }

  @Test
  void pollNeverReturnsMoreThanMax() {
    ManualExecutor executor = new ManualExecutor();
    BatchSource<Integer> source =
        BatchSources.fromIterator(new CountingIterator(Integer.MAX_VALUE), executor);
    future(source.poll(8));
    executor.runAll();

    assertEquals(List.of(1, 2), future(source.poll(2)).join());
    assertEquals(List.of(3, 4, 5), future(source.poll(3)).join());
  }

  @Test
  void failureComesAfterTheItemsBeforeItAndStays() {
    ManualExecutor executor = new ManualExecutor();
    CountingIterator iterator = new CountingIterator(Integer.MAX_VALUE);
    iterator.failAt = 2;
    BatchSource<Integer> source = BatchSources.fromIterator(iterator, executor);

    CompletableFuture<List<Integer>> first = future(source.poll(10));
    executor.runAll();

    assertEquals(List.of(0), first.join());
    assertEquals(List.of(1), future(source.poll(10)).join());
    assertSame(BOOM, failureOf(source.poll(10)));
    executor.runAll();
    assertSame(BOOM, failureOf(source.poll(10)));
    assertEquals(3, iterator.hasNextCalls, "the iterator is not called after it failed");
  }

  @Test
  void nullElementFailsTheStream() {
    ManualExecutor executor = new ManualExecutor();
    Iterator<String> iterator = Arrays.asList("a", null, "c").iterator();
    BatchSource<String> source = BatchSources.fromIterator(iterator, executor);

    CompletableFuture<List<String>> first = future(source.poll(10));
    executor.runAll();

    assertEquals(List.of("a"), first.join());
    assertInstanceOf(NullPointerException.class, failureOf(source.poll(10)));
  }

  @Test
  void cancelledPollLosesNoItem() {
    ManualExecutor executor = new ManualExecutor();
    BatchSource<Integer> source = BatchSources.fromIterator(new CountingIterator(3), executor);
    CompletableFuture<List<Integer>> cancelled = future(source.poll(3));
    assertTrue(cancelled.cancel(true));

    executor.runAll();

    assertEquals(List.of(0, 1, 2), future(source.poll(3)).join());
  }

  @Test
  void rejectedPullFailsTheStream() {
    RejectedExecutionException rejection = new RejectedExecutionException("full");
    BatchSource<Integer> source =
        BatchSources.fromIterator(
            new CountingIterator(3),
            command -> {
              throw rejection;
            });

    assertSame(rejection, failureOf(source.poll(3)));
  }

  @Test
  void onlyOnePullRunsAtATime() throws Exception {
    ExecutorService executor = newExecutor(4);
    int count = 20_000;
    AtomicInteger inside = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    Iterator<Integer> iterator =
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            enter();
            try {
              return next < count;
            } finally {
              inside.decrementAndGet();
            }
          }

          @Override
          public Integer next() {
            enter();
            try {
              return next++;
            } finally {
              inside.decrementAndGet();
            }
          }

          private void enter() {
            if (inside.incrementAndGet() != 1) {
              overlapped.set(true);
            }
          }
        };
    BatchSource<Integer> source = BatchSources.fromIterator(iterator, executor);
    Random random = new Random(11);
    List<Integer> received = new ArrayList<>(count);
    while (true) {
      int max = 1 + random.nextInt(32);
      List<Integer> batch = future(source.poll(max)).get(10, TimeUnit.SECONDS);
      if (batch.isEmpty()) {
        break;
      }
      assertTrue(batch.size() <= max, "batch larger than max");
      received.addAll(batch);
    }

    assertFalse(overlapped.get(), "two pulls ran at once");
    assertEquals(IntStream.range(0, count).boxed().collect(Collectors.toList()), received);
  }

  @Test
  void closeClosesAnAutoCloseableIteratorOnce() {
    CloseableIterator iterator = new CloseableIterator(null);
    BatchSource<Integer> source = BatchSources.fromIterator(iterator, new ManualExecutor());

    source.close();
    source.close();

    assertEquals(1, iterator.closeCalls);
  }

  @Test
  void closeCompletesThePendingPollWithEmptyList() {
    ManualExecutor executor = new ManualExecutor();
    BatchSource<Integer> source = BatchSources.fromIterator(new CountingIterator(3), executor);
    CompletableFuture<List<Integer>> poll = future(source.poll(3));

    source.close();
    executor.runAll();

    assertEquals(List.of(), poll.join());
    assertEquals(List.of(), future(source.poll(3)).join());
  }

  @Test
  void closeRethrowsACheckedCloseFailureUnchecked() {
    IOException failure = new IOException("disk");
    BatchSource<Integer> source =
        BatchSources.fromIterator(new CloseableIterator(failure), new ManualExecutor());

    UncheckedIOException e = assertThrows(UncheckedIOException.class, source::close);

    assertSame(failure, e.getCause());
  }

  @Test
  void closeInterruptsABlockedPullAndLeavesTheThreadUninterrupted() throws Exception {
    ExecutorService executor = newExecutor(1);
    CountDownLatch pulling = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Iterator<Integer> blocking =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            pulling.countDown();
            try {
              new CountDownLatch(1).await(); // blocks until interrupted
              throw new AssertionError("unreachable");
            } catch (InterruptedException e) {
              interrupted.countDown();
              throw new IllegalStateException("interrupted", e);
            }
          }

          @Override
          public Integer next() {
            throw new NoSuchElementException();
          }
        };
    BatchSource<Integer> source = BatchSources.fromIterator(blocking, executor);
    CompletableFuture<List<Integer>> poll = future(source.poll(3));
    assertTrue(pulling.await(10, TimeUnit.SECONDS));

    source.close();

    assertEquals(List.of(), poll.get(10, TimeUnit.SECONDS));
    assertTrue(interrupted.await(10, TimeUnit.SECONDS));
    // The same (single) executor thread runs this next: close()'s interrupt must not linger.
    assertFalse(
        executor.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS));
    assertEquals(List.of(), future(source.poll(3)).join(), "a failure after close is not reported");
  }

  @Test
  void itemTakenByAPullAfterCloseStaysInTheSource() throws Exception {
    ExecutorService executor = newExecutor(1);
    CountDownLatch pulling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Iterator<String> late =
        new Iterator<>() {
          private boolean taken;

          @Override
          public boolean hasNext() {
            if (taken) {
              return false;
            }
            pulling.countDown();
            awaitIgnoringInterrupts(release);
            return true;
          }

          @Override
          public String next() {
            taken = true;
            return "late";
          }
        };
    BatchSource<String> source = BatchSources.fromIterator(late, executor);
    CompletableFuture<List<String>> poll = future(source.poll(3));
    assertTrue(pulling.await(10, TimeUnit.SECONDS));

    source.close();
    assertEquals(List.of(), poll.get(10, TimeUnit.SECONDS));
    release.countDown();
    executor.shutdown();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));

    assertEquals(List.of("late"), future(source.poll(3)).join());
    assertEquals(List.of(), future(source.poll(3)).join());
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs submitted tasks only when the test says so, on the test thread. */
  static final class ManualExecutor implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable command) {
      tasks.add(command);
    }

    void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }
  }

  /** Yields 0..size-1, counting calls; throws BOOM from hasNext() at failAt. */
  private static final class CountingIterator implements Iterator<Integer> {
    private final int size;
    int failAt = -1;
    int hasNextCalls;
    int nextCalls;

    CountingIterator(int size) {
      this.size = size;
    }

    @Override
    public boolean hasNext() {
      hasNextCalls++;
      if (nextCalls == failAt) {
        throw BOOM;
      }
      return nextCalls < size;
    }

    @Override
    public Integer next() {
      if (nextCalls >= size) {
        throw new NoSuchElementException();
      }
      return nextCalls++;
    }
  }

  /** An empty iterator that is AutoCloseable. */
  private static final class CloseableIterator implements Iterator<Integer>, AutoCloseable {
    private final IOException closeFailure;
    int closeCalls;

    CloseableIterator(IOException closeFailure) {
      this.closeFailure = closeFailure;
    }

    @Override
    public boolean hasNext() {
      return false;
    }

    @Override
    public Integer next() {
      throw new NoSuchElementException();
    }

    @Override
    public void close() throws IOException {
      closeCalls++;
      if (closeFailure != null) {
        throw closeFailure;
      }
    }
  }
}
