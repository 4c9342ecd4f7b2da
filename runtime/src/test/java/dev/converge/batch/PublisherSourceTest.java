package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublisherSourceTest {

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
  void nullPublisherIsRejectedByName() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> BatchSources.fromPublisher(null));
    assertEquals("publisher", e.getMessage());
  }

  @Test
  void maxBelowOneIsRejected() {
    BatchSource<Integer> source = BatchSources.fromPublisher(new RecordingPublisher<>());
    assertThrows(IllegalArgumentException.class, () -> source.poll(0));
  }

  @Test
  void subscribesOnFirstPollOnly() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    assertEquals(0, publisher.subscribeCount);

    source.poll(4);

    assertEquals(1, publisher.subscribeCount);
    assertEquals(List.of(4L), publisher.requests);
  }

  @Test
  void finiteStreamGivesAllItemsInOrderThenEmptyListForever() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> first = future(source.poll(10));

    publisher.emit(1, 2, 3);
    publisher.complete();

    assertEquals(List.of(1), first.join()); // completed by the first item, not held back
    assertEquals(List.of(2, 3), future(source.poll(10)).join());
    assertEquals(List.of(), future(source.poll(10)).join());
    assertEquals(List.of(), future(source.poll(10)).join());
  }

  @Test
  void completionWithPendingPollGivesEmptyList() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> poll = future(source.poll(10));

    publisher.complete();

    assertEquals(List.of(), poll.join());
  }

  @Test
  void pollNeverReturnsMoreThanMax() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> first = future(source.poll(5));
    publisher.emit(1, 2, 3, 4, 5);

    assertEquals(List.of(1), first.join());
    assertEquals(List.of(2, 3), future(source.poll(2)).join());
    assertEquals(List.of(4, 5), future(source.poll(2)).join());
  }

  @Test
  void failureComesAfterTheItemsBeforeItAndStays() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> first = future(source.poll(10));

    publisher.emit(1, 2);
    publisher.fail(BOOM);

    assertEquals(List.of(1), first.join());
    assertEquals(List.of(2), future(source.poll(10)).join());
    assertSame(BOOM, failureOf(source.poll(10)));
    assertSame(BOOM, failureOf(source.poll(10)));
  }

  @Test
  void failureWithPendingPollFailsIt() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletionStage<List<Integer>> poll = source.poll(10);

    publisher.fail(BOOM);

    assertSame(BOOM, failureOf(poll));
  }

  @Test
  void demandIsToppedUpToMaxAndNoFurther() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> first = future(source.poll(5));
    publisher.emit(1, 2, 3);
    assertEquals(List.of(1), first.join());

    // After taking 2 and 3, nothing is buffered and 2 are outstanding: demand is topped up by 3.
    assertEquals(List.of(2, 3), future(source.poll(5)).join());
    assertEquals(List.of(5L, 3L), publisher.requests);
    assertEquals(5, publisher.outstanding());
  }

  @Test
  void noRequestWhileBufferedAndOutstandingReachMax() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> first = future(source.poll(3));
    first.cancel(false);
    CompletableFuture<List<Integer>> second = future(source.poll(3));
    second.cancel(false);
    future(source.poll(3));

    assertEquals(List.of(3L), publisher.requests);
  }

  @Test
  void nothingIsRequestedWhileNobodyPolls() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> first = future(source.poll(3));
    publisher.emit(1, 2, 3);

    assertEquals(List.of(1), first.join());
    assertEquals(List.of(3L), publisher.requests);
    assertEquals(0, publisher.outstanding());
  }

  @Test
  void cancelledPollLosesNoItem() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> cancelled = future(source.poll(4));
    assertTrue(cancelled.cancel(true));

    publisher.emit(7, 8);

    assertEquals(List.of(7, 8), future(source.poll(4)).join());
  }

  @Test
  void pollWhileAnotherIsPendingIsRejected() {
    BatchSource<Integer> source = BatchSources.fromPublisher(new RecordingPublisher<>());
    source.poll(1);
    assertThrows(IllegalStateException.class, () -> source.poll(1));
  }

  @Test
  void pollMadeFromAPollsDependentIsAnsweredInOrder() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    AtomicReference<CompletableFuture<List<Integer>>> second = new AtomicReference<>();
    future(source.poll(4)).thenRun(() -> second.set(future(source.poll(4))));

    publisher.emit(1);
    assertFalse(second.get().isDone());
    publisher.emit(2);

    assertEquals(List.of(2), second.get().join());
  }

  @Test
  void closeCancelsTheSubscription() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    source.poll(4);

    source.close();

    assertTrue(publisher.cancelled);
  }

  @Test
  void closeCompletesThePendingPollWithEmptyList() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> poll = future(source.poll(4));

    source.close();

    assertEquals(List.of(), poll.join());
  }

  @Test
  void itemsReceivedBeforeCloseAreReturnedAfterIt() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    future(source.poll(4)).cancel(false);
    publisher.emit(1, 2);

    source.close();
    publisher.emit(3); // requested before the cancel, so it is still the caller's

    assertEquals(List.of(1, 2, 3), future(source.poll(4)).join());
    assertEquals(List.of(), future(source.poll(4)).join());
    assertEquals(List.of(4L), publisher.requests);
  }

  @Test
  void closeBeforeSubscriptionArrivesCancelsItWhenItDoes() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    publisher.deferOnSubscribe = true;
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> poll = future(source.poll(4));

    source.close();
    publisher.sendOnSubscribe();

    assertEquals(List.of(), poll.join());
    assertTrue(publisher.cancelled);
    assertEquals(List.of(), publisher.requests);
  }

  @Test
  void closeBeforeFirstPollNeverSubscribes() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);

    source.close();

    assertEquals(List.of(), future(source.poll(4)).join());
    assertEquals(0, publisher.subscribeCount);
  }

  @Test
  void secondSubscriptionIsCancelled() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletableFuture<List<Integer>> poll = future(source.poll(4));
    RecordingSubscription second = new RecordingSubscription();

    publisher.subscriber.onSubscribe(second);

    assertTrue(second.cancelled);
    assertEquals(List.of(), second.requests);
    assertFalse(publisher.cancelled);
    publisher.emit(1);
    assertEquals(List.of(1), poll.join());
  }

  @Test
  void nullItemFailsTheStreamAfterEarlierItems() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    future(source.poll(4)).cancel(false);
    publisher.emit(1);

    assertThrows(NullPointerException.class, () -> publisher.subscriber.onNext(null));

    assertTrue(publisher.cancelled);
    assertEquals(List.of(1), future(source.poll(4)).join());
    assertInstanceOf(NullPointerException.class, failureOf(source.poll(4)));
    assertInstanceOf(NullPointerException.class, failureOf(source.poll(4)));
  }

  @Test
  void nullErrorFailsTheStream() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    CompletionStage<List<Integer>> poll = source.poll(4);

    assertThrows(NullPointerException.class, () -> publisher.subscriber.onError(null));

    assertInstanceOf(NullPointerException.class, failureOf(poll));
  }

  @Test
  void moreItemsThanRequestedFailTheStream() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    future(source.poll(2)).cancel(false);

    publisher.emit(1, 2, 3);

    assertTrue(publisher.cancelled);
    assertEquals(List.of(1, 2), future(source.poll(4)).join());
    assertInstanceOf(IllegalStateException.class, failureOf(source.poll(4)));
  }

  @Test
  void signalsAfterTheEndAreIgnored() {
    RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    future(source.poll(4)).cancel(false);
    publisher.complete();

    publisher.emit(1);
    publisher.fail(BOOM);

    assertEquals(List.of(), future(source.poll(4)).join());
  }

  @Test
  void submissionPublisherWithBlockingProducerIsReadInOrder() throws Exception {
    ExecutorService executor = newExecutor(1);
    int count = 10_000;
    SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(executor, 256);
    try {
      BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
      Thread producer =
          new Thread(
              () -> {
                for (int i = 0; i < count; i++) {
                  publisher.submit(i); // blocks while the publisher's buffer is full
                }
                publisher.close();
              });
      // Subscribe before the producer starts: SubmissionPublisher drops nothing only for
      // subscribers
      // it already has.
      CompletableFuture<List<Integer>> first = future(source.poll(16));
      producer.start();
      List<Integer> received = new ArrayList<>(first.get(10, TimeUnit.SECONDS));
      Random random = new Random(42);
      while (true) {
        int max = 1 + random.nextInt(16);
        List<Integer> batch = future(source.poll(max)).get(10, TimeUnit.SECONDS);
        if (batch.isEmpty()) {
          break;
        }
        assertTrue(batch.size() <= max, "batch larger than max");
        received.addAll(batch);
      }
      producer.join();
      assertEquals(IntStream.range(0, count).boxed().collect(Collectors.toList()), received);
    } finally {
      publisher.close(); // idempotent; releases the publisher if an assertion failed early
    }
  }

  @Test
  void submissionPublisherSendsNoMoreThanMaxAheadOfPolls() throws Exception {
    ExecutorService executor = newExecutor(1);
    int count = 100;
    SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(executor, 256);
    try {
      BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
      CompletableFuture<List<Integer>> first = future(source.poll(4));
      for (int i = 0; i < count; i++) {
        publisher.submit(i); // the buffer holds them all: submit does not block
      }
      List<Integer> received = new ArrayList<>(first.get(10, TimeUnit.SECONDS));
      while (received.size() < count) {
        // Not yet handed to the source = count - (returned + buffered + in flight), and the source
        // holds or has requested at most max = 4 beyond what it returned; true at every instant.
        // (Measured before close(), which detaches the subscriber from the publisher.)
        assertTrue(
            publisher.estimateMaximumLag() >= count - received.size() - 4,
            "the source took more than max items ahead");
        List<Integer> batch = future(source.poll(4)).get(10, TimeUnit.SECONDS);
        assertTrue(batch.size() >= 1 && batch.size() <= 4, "batch size " + batch.size());
        received.addAll(batch);
      }
      publisher.close();
      assertEquals(List.of(), future(source.poll(4)).get(10, TimeUnit.SECONDS));
      assertEquals(IntStream.range(0, count).boxed().collect(Collectors.toList()), received);
    } finally {
      publisher.close(); // idempotent; releases the publisher if an assertion failed early
    }
  }

  @Test
  void concurrentProducerAndConsumerSeeEveryItemOnceInOrder() throws Exception {
    int count = 100_000;
    SemaphorePublisher publisher = new SemaphorePublisher(count);
    BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
    Random random = new Random(7);
    List<Integer> received = new ArrayList<>(count);
    CompletableFuture<List<Integer>> first = future(source.poll(64));
    Thread producer = publisher.start();
    received.addAll(first.get(10, TimeUnit.SECONDS));
    while (true) {
      int max = 1 + random.nextInt(64);
      List<Integer> batch = future(source.poll(max)).get(10, TimeUnit.SECONDS);
      if (batch.isEmpty()) {
        break;
      }
      assertTrue(batch.size() <= max, "batch larger than max");
      received.addAll(batch);
    }
    producer.join();
    assertNull(publisher.violation.get());
    assertEquals(IntStream.range(0, count).boxed().collect(Collectors.toList()), received);
  }

  @Test
  void pollCancelledWhileAnItemArrivesLosesNothing() throws Exception {
    ExecutorService executor = newExecutor(2);
    CyclicBarrier barrier = new CyclicBarrier(2);
    for (int i = 0; i < 5_000; i++) {
      RecordingPublisher<Integer> publisher = new RecordingPublisher<>();
      BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
      CompletableFuture<List<Integer>> poll = future(source.poll(4));
      int item = i;
      CompletableFuture<?> cancelling =
          CompletableFuture.runAsync(
              () -> {
                await(barrier);
                poll.cancel(false);
              },
              executor);
      CompletableFuture<?> emitting =
          CompletableFuture.runAsync(
              () -> {
                await(barrier);
                publisher.emit(item);
              },
              executor);
      cancelling.get(10, TimeUnit.SECONDS);
      emitting.get(10, TimeUnit.SECONDS);

      List<Integer> seen = new ArrayList<>();
      if (!poll.isCancelled()) {
        seen.addAll(poll.join());
      }
      source.close(); // after close, a poll returns what the source still holds
      seen.addAll(future(source.poll(4)).join());
      assertEquals(List.of(item), seen, "iteration " + i);
    }
  }

  @Test
  void requestAndCancelFromDifferentThreadsAreNeverConcurrent() throws Exception {
    ExecutorService executor = newExecutor(2);
    CyclicBarrier barrier = new CyclicBarrier(2);
    for (int i = 0; i < 5_000; i++) {
      OverlapDetectingPublisher publisher = new OverlapDetectingPublisher();
      BatchSource<Integer> source = BatchSources.fromPublisher(publisher);
      future(source.poll(4)).cancel(false);
      publisher.subscriber.onNext(1); // buffered: the next poll takes it and tops demand up
      CompletableFuture<?> polling =
          CompletableFuture.runAsync(
              () -> {
                await(barrier);
                source.poll(4);
              },
              executor);
      CompletableFuture<?> closing =
          CompletableFuture.runAsync(
              () -> {
                await(barrier);
                source.close();
              },
              executor);
      polling.get(10, TimeUnit.SECONDS);
      closing.get(10, TimeUnit.SECONDS);

      assertFalse(publisher.overlapped, "request and cancel overlapped (rule 2.7), iteration " + i);
      assertTrue(publisher.cancelled);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static <T> CompletableFuture<T> future(CompletionStage<T> stage) {
    return (CompletableFuture<T>) stage;
  }

  static Throwable failureOf(CompletionStage<?> stage) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future(stage).get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  /** A subscription that records what it is asked. */
  static final class RecordingSubscription implements Flow.Subscription {
    final List<Long> requests = new CopyOnWriteArrayList<>();
    volatile boolean cancelled;

    @Override
    public void request(long n) {
      requests.add(n);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  /** A publisher driven by the test thread, recording demand and cancellation. */
  static final class RecordingPublisher<T> implements Flow.Publisher<T> {
    final List<Long> requests = new CopyOnWriteArrayList<>();
    volatile Flow.Subscriber<? super T> subscriber;
    volatile int subscribeCount;
    volatile boolean cancelled;
    volatile boolean deferOnSubscribe;
    private volatile long emitted;

    @Override
    public void subscribe(Flow.Subscriber<? super T> s) {
      subscriber = s;
      subscribeCount++;
      if (!deferOnSubscribe) {
        sendOnSubscribe();
      }
    }

    void sendOnSubscribe() {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              assertTrue(n > 0, "request must be positive (rule 3.9), was " + n);
              requests.add(n);
            }

            @Override
            public void cancel() {
              cancelled = true;
            }
          });
    }

    @SafeVarargs
    final void emit(T... items) {
      for (T item : items) {
        emitted++;
        subscriber.onNext(item);
      }
    }

    void complete() {
      subscriber.onComplete();
    }

    void fail(Throwable error) {
      subscriber.onError(error);
    }

    long outstanding() {
      return requests.stream().mapToLong(Long::longValue).sum() - emitted;
    }
  }

  /** A publisher whose subscription notices calls that overlap, widening the window a little. */
  static final class OverlapDetectingPublisher implements Flow.Publisher<Integer> {
    volatile Flow.Subscriber<? super Integer> subscriber;
    volatile boolean overlapped;
    volatile boolean cancelled;
    private final AtomicInteger inside = new AtomicInteger();

    @Override
    public void subscribe(Flow.Subscriber<? super Integer> s) {
      subscriber = s;
      s.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              enterAndLeave();
            }

            @Override
            public void cancel() {
              cancelled = true;
              enterAndLeave();
            }
          });
    }

    private void enterAndLeave() {
      if (inside.incrementAndGet() != 1) {
        overlapped = true;
      }
      for (int spin = 0; spin < 100; spin++) {
        Thread.onSpinWait();
      }
      inside.decrementAndGet();
    }
  }

  /**
   * A compliant publisher of 0..count-1 whose producer thread waits for demand on a semaphore: it
   * signals onNext from its own thread while the consumer polls from the test thread.
   */
  static final class SemaphorePublisher implements Flow.Publisher<Integer> {
    final AtomicReference<String> violation = new AtomicReference<>();
    private final int count;
    private final Semaphore demand = new Semaphore(0);
    private volatile Flow.Subscriber<? super Integer> subscriber;
    private volatile boolean cancelled;

    SemaphorePublisher(int count) {
      this.count = count;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Integer> s) {
      subscriber = s;
      s.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              if (n <= 0 || n > Integer.MAX_VALUE) {
                violation.set("request(" + n + ")");
              }
              demand.release((int) n);
            }

            @Override
            public void cancel() {
              cancelled = true;
              demand.release(count); // let the producer see it
            }
          });
    }

    Thread start() {
      Thread producer =
          new Thread(
              () -> {
                for (int i = 0; i < count; i++) {
                  demand.acquireUninterruptibly();
                  if (cancelled) {
                    return;
                  }
                  subscriber.onNext(i);
                }
                subscriber.onComplete();
              });
      producer.start();
      return producer;
    }
  }
}
