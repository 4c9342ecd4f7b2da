package dev.converge.bench;

import dev.converge.batch.BatchIterator;
import dev.converge.batch.BatchSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How well the batch iterator overlaps fetching with processing. Each batch costs a fetch step of
 * {@code F} (a source whose poll completes after F) and a processing step of {@code P} (a {@code
 * forEach} handler whose stage completes after P); both are scheduled completions on a {@link
 * ScheduledExecutorService}, not busy loops. With perfect overlap, N batches take N·max(F, P) plus one
 * fetch to start; efficiency is N·max(F, P) divided by the measured wall time.
 *
 * <p>Timers fire late by a little ({@link #timerLatenessNanos} measures by how much): that lateness
 * is part of the wall time, so efficiency below 1 also contains it. {@link #handRolledWallNanos} is
 * the control: the same steps on the same timers, pipelined without the iterator.
 */
final class PipeliningStudy {

  /** Batch size: each poll returns exactly this many items, so every batch completes by SIZE. */
  private static final int MAX_SIZE = 256;

  private final ScheduledExecutorService timers;
  private final Duration fetch;
  private final Duration process;
  private final int batches;

  PipeliningStudy(ScheduledExecutorService timers, Duration fetch, Duration process, int batches) {
    this.timers = timers;
    this.fetch = fetch;
    this.process = process;
    this.batches = batches;
  }

  /** The ideal wall time, N·max(F, P), in nanoseconds. */
  long idealNanos() {
    return batches * Math.max(fetch.toNanos(), process.toNanos());
  }

  /**
   * Runs N batches through an iterator with the given prefetch and returns the wall time, from
   * building the iterator (which starts polling) to the completion of {@code forEach}.
   */
  long wallNanos(int prefetch) {
    BatchSource<Integer> source = new SlowSource(batches * MAX_SIZE);
    long start = System.nanoTime();
    BatchIterator<Integer> iterator =
        BatchIterator.builder(source)
            .maxSize(MAX_SIZE)
            .maxWait(Duration.ofMillis(10))
            .prefetch(prefetch)
            .build();
    iterator.forEach(batch -> after(process, batch)).join();
    long wall = System.nanoTime() - start;
    iterator.close();
    return wall;
  }

  /**
   * The experimental control: the same fetch and process steps on the same timers, pipelined by
   * hand with one batch fetched ahead and no batching machinery at all (fetch k starts once fetch k-1
   * is done and batch k-2 is processed; processing k starts once fetch k and processing k-1 are
   * done). Its wall time is what these timers allow; the iterator's own overhead is the difference.
   */
  long handRolledWallNanos() {
    long start = System.nanoTime();
    CompletableFuture<?> fetchedBefore = CompletableFuture.completedFuture(null);
    CompletableFuture<?> processedTwoBefore = CompletableFuture.completedFuture(null);
    CompletableFuture<?> processedBefore = CompletableFuture.completedFuture(null);
    for (int k = 0; k < batches; k++) {
      CompletableFuture<?> fetched =
          CompletableFuture.allOf(fetchedBefore, processedTwoBefore)
              .thenCompose(ignored -> after(fetch, null));
      CompletableFuture<?> processed =
          CompletableFuture.allOf(fetched, processedBefore)
              .thenCompose(ignored -> after(process, null));
      fetchedBefore = fetched;
      processedTwoBefore = processedBefore;
      processedBefore = processed;
    }
    processedBefore.join();
    return System.nanoTime() - start;
  }

  /**
   * Mean lateness of a {@code schedule(F)} timer on the same executor, in nanoseconds: how long after
   * its due time the task starts, read inside the task (so the waiting thread's wake-up is not
   * counted, just as no thread waits in the pipeline).
   */
  long timerLatenessNanos(int samples) {
    long total = 0;
    for (int i = 0; i < samples; i++) {
      CompletableFuture<Long> lateness = new CompletableFuture<>();
      long due = System.nanoTime() + fetch.toNanos();
      timers.schedule(
          () -> lateness.complete(System.nanoTime() - due), fetch.toNanos(), TimeUnit.NANOSECONDS);
      total += lateness.join();
    }
    return total / samples;
  }

  private <V> CompletableFuture<V> after(Duration delay, V value) {
    CompletableFuture<V> done = new CompletableFuture<>();
    timers.schedule(() -> done.complete(value), delay.toNanos(), TimeUnit.NANOSECONDS);
    return done;
  }

  /** A source whose every poll completes after F with as many items as asked for. */
  private final class SlowSource implements BatchSource<Integer> {
    private int remaining;

    SlowSource(int items) {
      this.remaining = items;
    }

    @Override
    public CompletionStage<List<Integer>> poll(int max) {
      // The iterator has at most one poll outstanding, so no two threads are in here at once.
      int n = Math.min(max, remaining);
      remaining -= n;
      if (n == 0) {
        return CompletableFuture.completedFuture(List.of());
      }
      List<Integer> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(i);
      }
      return after(fetch, items);
    }
  }
}
