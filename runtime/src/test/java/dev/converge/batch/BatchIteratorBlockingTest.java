package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** blockingIterator() and stream() over finite sources. */
class BatchIteratorBlockingTest {

  private static Fixture finite(int items) {
    Fixture f = new Fixture(3, Duration.ofMillis(20), 1);
    f.sendRange(0, items);
    f.channel.complete();
    return f;
  }

  @Test
  void blockingIteratorYieldsEveryBatchThenEnds() {
    Iterator<Batch<Integer>> batches = finite(7).iterator.blockingIterator();
    List<Integer> items = new ArrayList<>();
    while (batches.hasNext()) {
      items.addAll(batches.next().items());
    }
    assertEquals(Fixture.range(0, 7), items);
    assertFalse(batches.hasNext());
    assertThrows(NoSuchElementException.class, batches::next);
  }

  @Test
  void streamCollectsEveryItemInOrder() {
    List<Integer> items =
        finite(10).iterator.stream()
            .flatMap(batch -> batch.items().stream())
            .collect(Collectors.toList());
    assertEquals(Fixture.range(0, 10), items);
  }

  @Test
  void closingTheStreamClosesTheIterator() {
    Fixture f = new Fixture(3, Duration.ofMillis(20), 1);
    f.iterator.stream().close();
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(1));
  }

  @Test
  void blockingIteratorRethrowsTheSourceFailureOnEveryCall() {
    Fixture f = new Fixture(3, Duration.ofMillis(20), 1);
    IllegalStateException boom = new IllegalStateException("boom");
    f.channel.fail(boom);
    Iterator<Batch<Integer>> batches = f.iterator.blockingIterator();
    assertSame(boom, assertThrows(IllegalStateException.class, batches::hasNext));
    assertSame(boom, assertThrows(IllegalStateException.class, batches::hasNext));
  }

  @Test
  void blockingIteratorWaitsForABatchFromAnotherThread() throws Exception {
    BatchChannel<Integer> channel = BatchChannel.bounded(10);
    BatchIterator<Integer> iterator =
        BatchIterator.builder(channel).maxSize(2).scheduler(new ManualScheduler()).build();
    Thread producer =
        new Thread(
            () -> {
              channel.trySend(1);
              channel.trySend(2);
              channel.complete();
            });
    producer.start();
    List<Integer> items = new ArrayList<>();
    iterator.blockingIterator().forEachRemaining(batch -> items.addAll(batch.items()));
    producer.join();
    assertEquals(List.of(1, 2), items);
  }

  @Test
  void interruptedWaitLosesNoBatchAndKeepsTheInterruptStatus() throws Exception {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    Iterator<Batch<Integer>> batches = f.iterator.blockingIterator();
    CountDownLatch finished = new CountDownLatch(1);
    Throwable[] thrown = {null};
    boolean[] interrupted = {false};
    Thread waiter =
        new Thread(
            () -> {
              try {
                batches.hasNext();
              } catch (CancellationException e) {
                thrown[0] = e;
                interrupted[0] = Thread.currentThread().isInterrupted();
              }
              finished.countDown();
            });
    waiter.start();
    waiter.interrupt();
    finished.await();
    waiter.join();
    assertTrue(thrown[0] instanceof CancellationException);
    assertTrue(interrupted[0]);
    f.send(1, 2);
    assertEquals(List.of(1, 2), f.take().items());
  }
}
