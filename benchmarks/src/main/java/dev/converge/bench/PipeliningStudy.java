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
 * <p>Timers fire late by a little (the measured overshoot is reported beside the result): those
 * microseconds are part of the wall time, so efficiency below 1 also contains the timer's lateness.
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
    BatchIterator<Integer> iterator = BatchIterator.builder(source)
        .maxSize(MAX_SIZE)
        .maxWait(Duration.ofMillis(10))
        .prefetch(prefetch)
        .build();
    iterator.forEach(batch -> after(process, batch)).join();
    long wall = System.nanoTime() - start;
    iterator.close();
    return wall;
  }

  /** Mean lateness of a {@code schedule(F)} timer on the same executor, in nanoseconds. */
  long timerOvershootNanos(int samples) {
    long total = 0;
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      after(fetch, null).toCompletableFuture().join();
      total += System.nanoTime() - start - fetch.toNanos();
    }
    return total / samples;
  }

  private <V> CompletionStage<V> after(Duration delay, V value) {
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
