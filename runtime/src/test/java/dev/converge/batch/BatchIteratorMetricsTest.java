package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics hook: one report per batch handed over, with exact sizes, reasons and virtual times,
 * called outside the lock, and unable to break the stream.
 */
class BatchIteratorMetricsTest {

  private static final long MS = Duration.ofMillis(1).toNanos();

  private final ManualScheduler time = new ManualScheduler();
  private final BatchChannel<Integer> channel = BatchChannel.bounded(1_000);
  private final List<BatchReport> reports = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
  private Thread.UncaughtExceptionHandler previousHandler;

  @BeforeEach
  void catchWhatListenersThrow() {
    previousHandler = Thread.currentThread().getUncaughtExceptionHandler();
    Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> uncaught.add(error));
  }

  @AfterEach
  void restoreTheHandler() {
    Thread.currentThread().setUncaughtExceptionHandler(previousHandler);
  }

  private BatchIterator<Integer> iterator(
      int maxSize, Duration maxWait, int prefetch, BatchMetrics metrics) {
    return BatchIterator.builder(channel)
        .maxSize(maxSize)
        .maxWait(maxWait)
        .prefetch(prefetch)
        .scheduler(time)
        .metrics(metrics)
        .build();
  }

  private BatchIterator<Integer> iterator(int maxSize, Duration maxWait, int prefetch) {
    return iterator(maxSize, maxWait, prefetch, reports::add);
  }

  private void send(int fromInclusive, int toExclusive) {
    for (int i = fromInclusive; i < toExclusive; i++) {
      assertTrue(channel.trySend(i));
    }
  }

  private void advance(long nanos) {
    time.advance(Duration.ofNanos(nanos));
  }

  private static Batch<Integer> taken(CompletableFuture<Optional<Batch<Integer>>> next) {
    assertTrue(next.isDone(), "next() should have completed");
    return next.join().orElseThrow();
  }

  @Test
  void aBatchCompleteByTimeReportsItsLingerAsFillTimeAndNoWaitWhenTheConsumerWaited() {
    BatchIterator<Integer> batches = iterator(10, Duration.ofMillis(20), 1);
    CompletableFuture<Optional<Batch<Integer>>> next = batches.next();
    send(0, 1);
    advance(5 * MS);
    send(1, 2);
    advance(15 * MS);

    assertEquals(2, taken(next).size());
    assertEquals(List.of(new BatchReport(0, 2, Batch.Reason.TIME, 20 * MS, 0, 2)), reports);
  }

  @Test
  void aBatchCompleteBySizeReportsTheTimeFromItsFirstItemAndItsWaitForTheConsumer() {
    BatchIterator<Integer> batches = iterator(10, Duration.ofMillis(20), 1);
    send(0, 1);
    advance(3 * MS);
    send(1, 10);
    advance(4 * MS);

    assertTrue(reports.isEmpty(), "a batch is reported when handed over, not when complete");
    assertEquals(10, taken(batches.next()).size());
    assertEquals(List.of(new BatchReport(0, 10, Batch.Reason.SIZE, 3 * MS, 4 * MS, 10)), reports);
  }

  @Test
  void theEndBatchReportsFromItsFirstItemToTheEndOfTheSource() {
    BatchIterator<Integer> batches = iterator(10, Duration.ofMillis(20), 1);
    send(0, 3);
    advance(5 * MS);
    channel.complete();
    advance(2 * MS);

    assertEquals(3, taken(batches.next()).size());
    assertEquals(List.of(new BatchReport(0, 3, Batch.Reason.END, 5 * MS, 2 * MS, 3)), reports);
    assertEquals(Optional.empty(), batches.next().join());
    assertEquals(1, reports.size(), "the end of the stream is no batch");
  }

  @Test
  void withMaxWaitZeroABatchIsCompleteAtOnce() {
    BatchIterator<Integer> batches = iterator(10, Duration.ZERO, 0);
    send(0, 4);
    advance(6 * MS);

    assertEquals(4, taken(batches.next()).size());
    assertEquals(List.of(new BatchReport(0, 4, Batch.Reason.TIME, 0, 6 * MS, 4)), reports);
  }

  /**
   * maxSize 1 and prefetch 20: 25 items sent at once fill 20 ready batches and a 21st complete one
   * that waits for room (the iterator holds (prefetch + 1) * maxSize items and stops taking more).
   * Batch k is taken at (k + 1) ms.
   */
  @Test
  void queuedBatchesEachReportTheirOwnTimesAndTheItemsHeld() {
    BatchIterator<Integer> batches = iterator(1, Duration.ofMillis(20), 20);
    send(0, 25);

    for (int k = 0; k < 25; k++) {
      advance(MS);
      assertEquals(List.of(k), taken(batches.next()).items());
    }
    channel.complete();
    assertEquals(Optional.empty(), batches.next().join());

    assertEquals(25, reports.size());
    for (int k = 0; k < 25; k++) {
      BatchReport report = reports.get(k);
      assertEquals(k, report.sequence());
      assertEquals(1, report.size());
      assertEquals(Batch.Reason.SIZE, report.reason());
      assertEquals(0, report.fillNanos(), "batch " + k);
      // Batches 0..20 were complete at 0; batch j >= 21 became complete when batch j - 21 was
      // taken, at (j - 20) ms, and was taken at (j + 1) ms.
      assertEquals(k <= 20 ? (k + 1) * MS : 21 * MS, report.waitNanos(), "batch " + k);
      assertEquals(Math.min(21, 25 - k), report.heldItems(), "batch " + k);
    }
  }

  @Test
  void reportsEachBatchOnceAndNeverPerItem() {
    BatchIterator<Integer> batches = iterator(100, Duration.ofMillis(20), 2);
    CompletableFuture<Void> done =
        batches.forEach(batch -> CompletableFuture.completedFuture(null));
    send(0, 1_000);
    channel.complete();

    done.join();
    assertEquals(10, reports.size());
    for (int k = 0; k < 10; k++) {
      assertEquals(k, reports.get(k).sequence());
      assertEquals(100, reports.get(k).size());
    }
  }

  @Test
  void theReportComesBeforeTheBatchIsDeliveredWithNoLockHeld() throws InterruptedException {
    AtomicReference<BatchIterator<Integer>> self = new AtomicReference<>();
    AtomicReference<CompletableFuture<Optional<Batch<Integer>>>> first = new AtomicReference<>();
    AtomicReference<CompletableFuture<Optional<Batch<Integer>>>> fromOtherThread =
        new AtomicReference<>();
    List<Boolean> deliveredBeforeReport = new ArrayList<>();
    List<Boolean> otherThreadGotThrough = new ArrayList<>();
    BatchIterator<Integer> batches =
        iterator(
            10,
            Duration.ofMillis(20),
            1,
            report -> {
              deliveredBeforeReport.add(first.get().isDone());
              // Another thread takes the iterator's lock: it could not if this thread held it.
              Thread other = new Thread(() -> fromOtherThread.set(self.get().next()));
              other.start();
              try {
                other.join(Duration.ofSeconds(30).toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              otherThreadGotThrough.add(!other.isAlive());
            });
    self.set(batches);
    first.set(batches.next());
    send(0, 10);

    assertEquals(List.of(false), deliveredBeforeReport);
    assertEquals(List.of(true), otherThreadGotThrough);
    assertEquals(10, taken(first.get()).size());
    assertFalse(fromOtherThread.get().isDone(), "the second next() waits for the next batch");
  }

  @Test
  void aListenerMayCallTheIteratorBack() {
    AtomicReference<BatchIterator<Integer>> self = new AtomicReference<>();
    List<CompletableFuture<Optional<Batch<Integer>>>> asked = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    BatchIterator<Integer> batches =
        iterator(
            2,
            Duration.ofMillis(20),
            0,
            report -> {
              sequences.add(report.sequence());
              if (report.sequence() == 0) {
                asked.add(self.get().next());
              }
            });
    self.set(batches);
    CompletableFuture<Optional<Batch<Integer>>> first = batches.next();
    send(0, 4);

    assertEquals(List.of(0, 1), taken(first).items());
    assertEquals(List.of(2, 3), taken(asked.get(0)).items());
    assertEquals(List.of(0L, 1L), sequences);
  }

  @Test
  void aThrowingListenerBreaksNothingAndIsReportedToTheThreadsHandler() {
    RuntimeException boom = new IllegalStateException("listener bug");
    AtomicInteger calls = new AtomicInteger();
    BatchIterator<Integer> batches =
        iterator(
            10,
            Duration.ofMillis(20),
            1,
            report -> {
              calls.incrementAndGet();
              throw boom;
            });
    List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> done =
        batches.forEach(
            batch -> {
              received.addAll(batch.items());
              return CompletableFuture.completedFuture(null);
            });
    send(0, 25);
    advance(20 * MS);
    channel.complete();

    done.join();
    assertEquals(Fixture.range(0, 25), received);
    assertEquals(3, calls.get());
    assertEquals(List.of(boom, boom, boom), uncaught);
  }

  @Test
  void aListenerThrowingAnErrorStillLetsTheBatchThrough() {
    AssertionError bug = new AssertionError("listener bug");
    BatchIterator<Integer> batches =
        iterator(
            10,
            Duration.ofMillis(20),
            1,
            report -> {
              throw bug;
            });
    send(0, 10);

    assertEquals(10, taken(batches.next()).size());
    assertEquals(List.of(bug), uncaught);
  }

  @Test
  void batchesDiscardedByCloseAreNotReported() {
    BatchIterator<Integer> batches = iterator(2, Duration.ofMillis(20), 2);
    send(0, 6);
    assertEquals(2, taken(batches.next()).size());

    assertEquals(List.of(2, 3, 4, 5), batches.close());
    assertEquals(1, reports.size());
  }

  @Test
  void withoutMetricsTheIteratorReadsNoClock() {
    AtomicInteger reads = new AtomicInteger();
    Scheduler counting =
        new Scheduler() {
          @Override
          public long nanoTime() {
            reads.incrementAndGet();
            return time.nanoTime();
          }

          @Override
          public Timer schedule(Runnable task, long delayNanos) {
            return time.schedule(task, delayNanos);
          }
        };
    BatchIterator<Integer> plain =
        BatchIterator.builder(channel)
            .maxSize(10)
            .maxWait(Duration.ZERO)
            .scheduler(counting)
            .build();
    send(0, 25);
    for (int k = 0; k < 3; k++) {
      taken(plain.next());
    }
    assertEquals(0, reads.get(), "maxWait zero and no metrics: nothing to time");

    BatchChannel<Integer> other = BatchChannel.bounded(100);
    BatchIterator<Integer> measured =
        BatchIterator.builder(other)
            .maxSize(10)
            .maxWait(Duration.ZERO)
            .scheduler(counting)
            .metrics(reports::add)
            .build();
    for (int i = 0; i < 10; i++) {
      assertTrue(other.trySend(i));
    }
    taken(measured.next());
    assertTrue(reads.get() > 0, "with metrics the clock is read per batch");
    assertEquals(1, reports.size());
  }

  @Test
  void theBuilderTakesNoNullMetricsAndDefaultsToNone() {
    BatchIterator.Builder<Integer> builder = BatchIterator.builder(channel);
    assertThrows(NullPointerException.class, () -> builder.metrics(null));
    assertSame(builder, builder.metrics(BatchMetrics.NOOP));
    BatchIterator<Integer> batches = builder.scheduler(time).maxSize(2).build();
    send(0, 2);
    assertEquals(2, taken(batches.next()).size());
    assertTrue(reports.isEmpty());
    assertTrue(uncaught.isEmpty());
  }
}
