package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A BatchChannel feeding a BatchIterator in virtual time; everything runs on the test thread. */
final class Fixture {
  final ManualScheduler time = new ManualScheduler();
  final BatchChannel<Integer> channel = BatchChannel.bounded(1_000_000);
  final BatchIterator<Integer> iterator;

  Fixture(int maxSize, Duration maxWait, int prefetch) {
    iterator =
        BatchIterator.builder(channel)
            .maxSize(maxSize)
            .maxWait(maxWait)
            .prefetch(prefetch)
            .scheduler(time)
            .build();
  }

  void send(int... items) {
    for (int item : items) {
      assertTrue(channel.trySend(item));
    }
  }

  void sendRange(int fromInclusive, int toExclusive) {
    for (int i = fromInclusive; i < toExclusive; i++) {
      assertTrue(channel.trySend(i));
    }
  }

  void advance(long nanos) {
    time.advance(Duration.ofNanos(nanos));
  }

  /** Calls next() and expects it to complete at once with a batch. */
  Batch<Integer> take() {
    return ready(iterator.next());
  }

  static Batch<Integer> ready(CompletableFuture<Optional<Batch<Integer>>> next) {
    assertTrue(next.isDone(), "next() should have completed");
    Optional<Batch<Integer>> batch = next.join();
    assertTrue(batch.isPresent(), "expected a batch, got the end of the stream");
    return batch.get();
  }

  /** Expects next() to have failed at once; returns the failure. */
  static Throwable failedAtOnce(CompletableFuture<?> next) {
    assertTrue(next.isDone(), "next() must not wait");
    return assertThrows(ExecutionException.class, next::get).getCause();
  }

  static void pending(CompletableFuture<?> next) {
    assertFalse(next.isDone(), "next() should still be pending");
  }

  static List<Integer> range(int fromInclusive, int toExclusive) {
    List<Integer> items = new ArrayList<>();
    for (int i = fromInclusive; i < toExclusive; i++) {
      items.add(i);
    }
    return items;
  }
}
