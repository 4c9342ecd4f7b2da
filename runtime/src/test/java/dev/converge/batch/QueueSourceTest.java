package dev.converge.batch;

import static dev.converge.batch.PublisherSourceTest.failureOf;
import static dev.converge.batch.PublisherSourceTest.future;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.IteratorSourceTest.ManualExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueSourceTest {

  /** Fails the test if the source hops to it. */
  private static final Executor NO_HOP =
      command -> {
        throw new AssertionError("ready items must be drained on the caller's thread");
      };

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
    NullPointerException noQueue =
        assertThrows(NullPointerException.class, () -> BatchSources.fromQueue(null, Runnable::run));
    assertEquals("queue", noQueue.getMessage());
    NullPointerException noExecutor =
        assertThrows(
            NullPointerException.class,
            () -> BatchSources.fromQueue(new LinkedBlockingQueue<>(), null));
    assertEquals("executor", noExecutor.getMessage());
  }

  @Test
  void maxBelowOneIsRejected() {
    BatchSource<Integer> source = BatchSources.fromQueue(new LinkedBlockingQueue<>(), NO_HOP);
    assertThrows(IllegalArgumentException.class, () -> source.poll(0));
  }

  @Test
  void readyItemsAreDrainedOnTheCallersThreadUpToMax() {
    BlockingQueue<Integer> queue = new LinkedBlockingQueue<>(List.of(1, 2, 3, 4, 5));
    BatchSource<Integer> source = BatchSources.fromQueue(queue, NO_HOP);

    assertEquals(List.of(1, 2, 3), future(source.poll(3)).join());
    assertEquals(List.of(4, 5), future(source.poll(3)).join());
  }

  @Test
  void emptyQueueIsAwaitedOnTheExecutorThenDrainedUpToMax() {
    ManualExecutor executor = new ManualExecutor();
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    CompletableFuture<List<String>> poll = future(source.poll(3));
    assertEquals(1, executor.tasks.size());

    queue.addAll(List.of("a", "b", "c", "d"));
    executor.runAll();

    assertEquals(List.of("a", "b", "c"), poll.join());
    assertEquals(List.of("d"), List.copyOf(queue));
  }

  @Test
  void blockedTakeCompletesThePollWhenAnItemArrives() throws Exception {
    ExecutorService executor = newExecutor(1);
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    CompletableFuture<List<String>> poll = future(source.poll(3));

    queue.put("x");

    assertEquals(List.of("x"), poll.get(10, TimeUnit.SECONDS));
  }

  @Test
  void finiteQueueGivesAllItemsInOrderThenEmptyListForeverOnceClosed() {
    BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    IntStream.range(0, 100).forEach(queue::add);
    BatchSource<Integer> source = BatchSources.fromQueue(queue, NO_HOP);

    List<Integer> received = new ArrayList<>();
    while (received.size() < 100) {
      List<Integer> batch = future(source.poll(7)).join();
      assertTrue(!batch.isEmpty() && batch.size() <= 7, "batch size " + batch.size());
      received.addAll(batch);
    }
    source.close();

    assertEquals(IntStream.range(0, 100).boxed().collect(Collectors.toList()), received);
    assertEquals(List.of(), future(source.poll(7)).join());
    assertEquals(List.of(), future(source.poll(7)).join());
  }

  @Test
  void itemsStillInTheQueueAfterCloseStayThere() {
    BlockingQueue<Integer> queue = new LinkedBlockingQueue<>(List.of(1, 2));
    BatchSource<Integer> source = BatchSources.fromQueue(queue, NO_HOP);

    source.close();

    assertEquals(List.of(), future(source.poll(7)).join());
    assertEquals(List.of(1, 2), List.copyOf(queue));
  }

  @Test
  void itemTakenForACancelledPollGoesToTheNextPollAheadOfTheQueue() throws Exception {
    ExecutorService executor = newExecutor(1);
    SignallingQueue<String> queue = new SignallingQueue<>();
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    CompletableFuture<List<String>> cancelled = future(source.poll(3));
    assertTrue(queue.taking.await(10, TimeUnit.SECONDS));
    assertTrue(cancelled.cancel(true)); // the take keeps waiting

    queue.put("x"); // taken for nobody, so kept
    executor.shutdown();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));

    assertTrue(queue.isEmpty());
    queue.put("y");
    CompletableFuture<List<String>> next = future(source.poll(3));
    assertTrue(next.isDone(), "kept and ready items are returned on the caller's thread");
    assertEquals(List.of("x", "y"), next.join());
  }

  @Test
  void pollCancelledBeforeItsTaskRunsLeavesTheQueueAlone() {
    ManualExecutor executor = new ManualExecutor();
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    assertTrue(future(source.poll(3)).cancel(true));
    queue.add("x");

    executor.runAll();

    assertEquals(List.of("x"), List.copyOf(queue));
    assertEquals(List.of("x"), future(source.poll(3)).join());
  }

  @Test
  void pollMadeWhileTheTakeWaitsIsAnsweredByIt() throws Exception {
    ExecutorService executor = newExecutor(1);
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    assertTrue(future(source.poll(3)).cancel(true)); // the take keeps waiting

    CompletableFuture<List<String>> next = future(source.poll(3));
    queue.put("z");

    assertEquals(List.of("z"), next.get(10, TimeUnit.SECONDS));
  }

  @Test
  void pollWhileAnotherIsPendingIsRejected() {
    BatchSource<String> source =
        BatchSources.fromQueue(new LinkedBlockingQueue<>(), new ManualExecutor());
    source.poll(1);
    assertThrows(IllegalStateException.class, () -> source.poll(1));
  }

  @Test
  void rejectedTaskFailsThatPoll() {
    RejectedExecutionException rejection = new RejectedExecutionException("full");
    BatchSource<String> source =
        BatchSources.fromQueue(
            new LinkedBlockingQueue<>(),
            command -> {
              throw rejection;
            });

    assertSame(rejection, failureOf(source.poll(3)));
  }

  @Test
  void closeStopsABlockedTakeAndLeavesTheThreadUninterrupted() throws Exception {
    ExecutorService executor = newExecutor(1);
    SignallingQueue<String> queue = new SignallingQueue<>();
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    CompletableFuture<List<String>> poll = future(source.poll(3));
    assertTrue(queue.taking.await(10, TimeUnit.SECONDS));

    source.close();

    assertEquals(List.of(), poll.get(10, TimeUnit.SECONDS));
    // The single executor thread is free again (the take was interrupted), and not interrupted.
    assertFalse(
        executor.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS));
    assertEquals(List.of(), future(source.poll(3)).join());
  }

  @Test
  void itemTakenAsCloseArrivesStaysInTheSource() throws Exception {
    ExecutorService executor = newExecutor(1);
    SignallingQueue<String> queue = new SignallingQueue<>();
    queue.holdAfterTake = new CountDownLatch(1);
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    CompletableFuture<List<String>> poll = future(source.poll(3));
    assertTrue(queue.taking.await(10, TimeUnit.SECONDS));
    queue.put("x");
    assertTrue(queue.took.await(10, TimeUnit.SECONDS)); // x is out of the queue, not delivered

    source.close();
    assertEquals(List.of(), poll.get(10, TimeUnit.SECONDS));
    queue.holdAfterTake.countDown();
    executor.shutdown();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));

    assertEquals(List.of("x"), future(source.poll(3)).join());
    assertEquals(List.of(), future(source.poll(3)).join());
  }

  @Test
  void interruptFromOutsideFailsTheStreamForGood() throws Exception {
    ExecutorService executor = newExecutor(1);
    SignallingQueue<String> queue = new SignallingQueue<>();
    BatchSource<String> source = BatchSources.fromQueue(queue, executor);
    CompletableFuture<List<String>> poll = future(source.poll(3));
    assertTrue(queue.taking.await(10, TimeUnit.SECONDS));

    executor.shutdownNow();

    assertInstanceOf(InterruptedException.class, failureOf(poll));
    queue.put("late");
    assertInstanceOf(InterruptedException.class, failureOf(source.poll(3)));
    assertEquals(List.of("late"), List.copyOf(queue));
  }

  @Test
  void concurrentProducerAndConsumerSeeEveryItemOnceInOrder() throws Exception {
    ExecutorService executor = newExecutor(1);
    int count = 20_000;
    BlockingQueue<Integer> queue = new LinkedBlockingQueue<>(64);
    BatchSource<Integer> source = BatchSources.fromQueue(queue, executor);
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < count; i++) {
                  queue.put(i);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producer.start();
    Random random = new Random(3);
    List<Integer> received = new ArrayList<>(count);
    while (received.size() < count) {
      int max = 1 + random.nextInt(32);
      List<Integer> batch = future(source.poll(max)).get(10, TimeUnit.SECONDS);
      assertTrue(!batch.isEmpty() && batch.size() <= max, "batch size " + batch.size());
      received.addAll(batch);
    }
    producer.join();
    source.close();

    assertEquals(IntStream.range(0, count).boxed().collect(Collectors.toList()), received);
    assertEquals(List.of(), future(source.poll(8)).join());
  }

  /** A queue that signals when take() starts and returns, and can hold a taken item back. */
  private static final class SignallingQueue<E> extends LinkedBlockingQueue<E> {
    private static final long serialVersionUID = 1L;
    final transient CountDownLatch taking = new CountDownLatch(1);
    final transient CountDownLatch took = new CountDownLatch(1);
    transient volatile CountDownLatch holdAfterTake;

    @Override
    public E take() throws InterruptedException {
      taking.countDown();
      E item = super.take();
      took.countDown();
      CountDownLatch hold = holdAfterTake;
      if (hold != null) {
        // Uninterruptibly: the item is out of the queue whatever close() does meanwhile.
        boolean interrupted = false;
        while (true) {
          try {
            hold.await();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      return item;
    }
  }
}
