package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.IteratorSourceTest.ManualExecutor;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * An outside source that throws, or breaks its protocol, ends the stream: the items received before
 * it are delivered, then every {@code next()} fails with its exception. No {@code next()} is left
 * waiting. One test per way an adapter (or the scheduler) can fail.
 */
class AdapterFailureTest {

  private final IllegalStateException boom = new IllegalStateException("boom");
  private final ManualScheduler time = new ManualScheduler();

  private BatchIterator<Integer> iterate(BatchSource<Integer> source, int maxSize) {
    return BatchIterator.builder(source)
        .maxSize(maxSize)
        .maxWait(Duration.ofMillis(20))
        .prefetch(1)
        .scheduler(time)
        .build();
  }

  /** next() completes at once with exactly these items and reason. */
  private static void assertBatch(
      List<Integer> items, Batch.Reason reason, CompletableFuture<Optional<Batch<Integer>>> next) {
    assertTrue(next.isDone(), "next() must not wait");
    Batch<Integer> batch = next.join().orElseThrow();
    assertEquals(items, batch.items());
    assertEquals(reason, batch.reason());
  }

  /** next() has failed with the given exception, and so does every later call. */
  private static void assertFailsWith(
      Throwable expected,
      BatchIterator<Integer> iterator,
      CompletableFuture<Optional<Batch<Integer>>> next) {
    assertSame(expected, Fixture.failedAtOnce(next));
    ExecutionException again = assertThrows(ExecutionException.class, iterator.next()::get);
    assertSame(expected, again.getCause());
  }

  // ---- fromQueue --------------------------------------------------------------------------------

  @Test
  void queueWhoseTakeThrowsFailsTheStreamAfterTheItemsBeforeIt() {
    LinkedBlockingQueue<Integer> queue =
        new LinkedBlockingQueue<>(List.of(1, 2)) {
          @Override
          public Integer take() {
            throw boom;
          }
        };
    ManualExecutor executor = new ManualExecutor();
    BatchIterator<Integer> iterator = iterate(BatchSources.fromQueue(queue, executor), 10);
    CompletableFuture<Optional<Batch<Integer>>> first = iterator.next();
    assertFalse(first.isDone(), "1 and 2 linger for more items");

    executor.runAll(); // the worker waiting for a third item: take() throws

    assertBatch(List.of(1, 2), Batch.Reason.END, first);
    assertFailsWith(boom, iterator, iterator.next());
  }

  @Test
  void queueWhoseDrainToThrowsOnThePollingThreadFailsAfterWhatItMoved() {
    LinkedBlockingQueue<Integer> queue =
        new LinkedBlockingQueue<>(List.of(1, 2, 3)) {
          @Override
          public int drainTo(Collection<? super Integer> into, int max) {
            into.add(poll());
            into.add(poll());
            throw boom; // after moving two items
          }
        };
    BatchIterator<Integer> iterator =
        iterate(
            BatchSources.fromQueue(
                queue,
                command -> {
                  throw new AssertionError("ready items are drained on the polling thread");
                }),
            10);

    assertBatch(List.of(1, 2), Batch.Reason.END, iterator.next());
    assertFailsWith(boom, iterator, iterator.next());
  }

  @Test
  void queueWhoseDrainToThrowsOnTheWorkerFailsAfterTheTakenItem() {
    LinkedBlockingQueue<Integer> queue =
        new LinkedBlockingQueue<>() {
          private boolean taken;

          @Override
          public Integer take() throws InterruptedException {
            taken = true;
            return super.take();
          }

          @Override
          public int drainTo(Collection<? super Integer> into, int max) {
            if (!taken) {
              return 0; // nothing "ready" yet: the worker waits in take()
            }
            throw boom;
          }
        };
    ManualExecutor executor = new ManualExecutor();
    BatchIterator<Integer> iterator = iterate(BatchSources.fromQueue(queue, executor), 10);
    CompletableFuture<Optional<Batch<Integer>>> first = iterator.next();
    queue.add(1);
    queue.add(2);

    executor.runAll(); // take() returns 1; the drainTo for 2 throws

    assertBatch(List.of(1), Batch.Reason.END, first);
    assertFailsWith(boom, iterator, iterator.next());
  }

  // ---- fromIterator -----------------------------------------------------------------------------

  /** Yields 1..good, then throws from hasNext() or next(). */
  private Iterator<Integer> throwingIterator(int good, boolean fromHasNext) {
    return new Iterator<>() {
      private int next = 1;

      @Override
      public boolean hasNext() {
        if (next > good && fromHasNext) {
          throw boom;
        }
        return true;
      }

      @Override
      public Integer next() {
        if (next > good) {
          throw boom;
        }
        return next++;
      }
    };
  }

  @Test
  void iteratorWhoseHasNextThrowsFailsTheStreamAfterTheItemsBeforeIt() {
    ManualExecutor executor = new ManualExecutor();
    BatchIterator<Integer> iterator =
        iterate(BatchSources.fromIterator(throwingIterator(3, true), executor), 10);
    CompletableFuture<Optional<Batch<Integer>>> first = iterator.next();

    executor.runAll();

    assertBatch(List.of(1, 2, 3), Batch.Reason.END, first);
    assertFailsWith(boom, iterator, iterator.next());
  }

  @Test
  void iteratorWhoseNextThrowsFailsTheStreamAfterTheItemsBeforeIt() {
    ManualExecutor executor = new ManualExecutor();
    BatchIterator<Integer> iterator =
        iterate(BatchSources.fromIterator(throwingIterator(2, false), executor), 10);
    CompletableFuture<Optional<Batch<Integer>>> first = iterator.next();

    executor.runAll();

    assertBatch(List.of(1, 2), Batch.Reason.END, first);
    assertFailsWith(boom, iterator, iterator.next());
  }

  @Test
  void iteratorThatEndsWithoutSayingSoIsAFailureNotAHang() {
    Iterator<Integer> lying =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            throw new NoSuchElementException("hasNext() said there was one");
          }
        };
    ManualExecutor executor = new ManualExecutor();
    BatchIterator<Integer> iterator = iterate(BatchSources.fromIterator(lying, executor), 10);
    CompletableFuture<Optional<Batch<Integer>>> first = iterator.next();

    executor.runAll();

    assertTrue(first.isDone());
    ExecutionException e = assertThrows(ExecutionException.class, first::get);
    assertInstanceOf(NoSuchElementException.class, e.getCause());
  }

  // ---- fromPublisher ----------------------------------------------------------------------------

  @Test
  void publisherSignallingOnNextBeforeOnSubscribeFailsTheStream() {
    Flow.Publisher<Integer> early = subscriber -> subscriber.onNext(1);
    BatchIterator<Integer> iterator = iterate(BatchSources.fromPublisher(early), 10);

    CompletableFuture<Optional<Batch<Integer>>> next = iterator.next();

    assertInstanceOf(IllegalStateException.class, Fixture.failedAtOnce(next));
  }

  @Test
  void publisherSignallingMoreThanRequestedFailsAfterTheItemsBeforeIt() {
    PublisherSourceTest.RecordingPublisher<Integer> publisher =
        new PublisherSourceTest.RecordingPublisher<>();
    BatchIterator<Integer> iterator =
        BatchIterator.builder(BatchSources.fromPublisher(publisher))
            .maxSize(3)
            .maxWait(Duration.ofMillis(20))
            .prefetch(0)
            .scheduler(time)
            .build();
    publisher.emit(1, 2, 3); // fills the batch; nothing more is requested while it waits

    publisher.emit(4); // not requested

    assertBatch(List.of(1, 2, 3), Batch.Reason.SIZE, iterator.next());
    CompletableFuture<Optional<Batch<Integer>>> next = iterator.next();
    assertInstanceOf(IllegalStateException.class, Fixture.failedAtOnce(next));
    assertTrue(publisher.cancelled, "the broken subscription is cancelled");
  }

  @Test
  void publisherWhoseSubscribeThrowsFailsTheStream() {
    Flow.Publisher<Integer> throwing =
        subscriber -> {
          throw boom;
        };
    BatchIterator<Integer> iterator = iterate(BatchSources.fromPublisher(throwing), 10);

    assertFailsWith(boom, iterator, iterator.next());
  }

  @Test
  void publisherWhoseRequestThrowsFailsTheStreamAfterTheItemsBeforeIt() {
    Flow.Subscriber<?>[] subscriber = new Flow.Subscriber<?>[1];
    int[] requests = new int[1];
    Flow.Publisher<Integer> publisher =
        s -> {
          subscriber[0] = s;
          s.onSubscribe(
              new Flow.Subscription() {
                @Override
                public void request(long n) {
                  if (++requests[0] > 1) {
                    throw boom;
                  }
                }

                @Override
                public void cancel() {}
              });
        };
    BatchIterator<Integer> iterator =
        BatchIterator.builder(BatchSources.fromPublisher(publisher))
            .maxSize(2)
            .maxWait(Duration.ofMillis(20))
            .prefetch(0)
            .scheduler(time)
            .build();
    @SuppressWarnings("unchecked")
    Flow.Subscriber<Integer> s = (Flow.Subscriber<Integer>) subscriber[0];
    s.onNext(1);
    s.onNext(2);

    assertBatch(List.of(1, 2), Batch.Reason.SIZE, iterator.next()); // the next poll requests again
    assertFailsWith(boom, iterator, iterator.next());
  }

  // ---- the scheduler ----------------------------------------------------------------------------

  /** A scheduler whose clock works and whose timers are refused. */
  private Scheduler refusing(RuntimeException refusal) {
    return new Scheduler() {
      @Override
      public long nanoTime() {
        return time.nanoTime();
      }

      @Override
      public Timer schedule(Runnable task, long delayNanos) {
        throw refusal;
      }
    };
  }

  @Test
  void schedulerRefusingTheLingerTimerFailsTheStreamAfterTheItemsBeforeIt() {
    RejectedExecutionException refusal = new RejectedExecutionException("timer shut down");
    BatchChannel<Integer> channel = BatchChannel.bounded(100);
    BatchIterator<Integer> iterator =
        BatchIterator.builder(channel)
            .maxSize(10)
            .maxWait(Duration.ofMillis(20))
            .prefetch(1)
            .scheduler(refusing(refusal))
            .build();
    CompletableFuture<Optional<Batch<Integer>>> first = iterator.next();

    assertTrue(channel.trySend(1)); // the first item of a batch arms its linger: refused

    assertBatch(List.of(1), Batch.Reason.END, first);
    assertFailsWith(refusal, iterator, iterator.next());
    assertThrows(IllegalStateException.class, () -> channel.trySend(2), "the channel is closed");
  }

  @Test
  void schedulerRefusingTheTimerOfAPolledSourceFailsTheStreamToo() {
    RejectedExecutionException refusal = new RejectedExecutionException("timer shut down");
    BatchChannel<Integer> channel = BatchChannel.bounded(100);
    BatchSource<Integer> wrapped = channel::poll; // a plain source: items arrive by polling
    BatchIterator<Integer> iterator =
        BatchIterator.builder(wrapped)
            .maxSize(10)
            .maxWait(Duration.ofMillis(20))
            .prefetch(1)
            .scheduler(refusing(refusal))
            .build();
    CompletableFuture<Optional<Batch<Integer>>> first = iterator.next();

    assertTrue(channel.trySend(1));

    assertBatch(List.of(1), Batch.Reason.END, first);
    assertFailsWith(refusal, iterator, iterator.next());
  }
}
