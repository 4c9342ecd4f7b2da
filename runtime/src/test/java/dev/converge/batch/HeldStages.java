package dev.converge.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A forEach handler for single-threaded tests: it records each batch handed to it and returns a
 * stage that the test completes, in whatever order it likes, and counts the stages outstanding.
 */
final class HeldStages implements Function<Batch<Integer>, CompletionStage<?>> {
  private final List<Batch<Integer>> handed = new ArrayList<>();
  private final Map<Long, CompletableFuture<Void>> pending = new HashMap<>();
  private int maxOutstanding;

  @Override
  public CompletionStage<?> apply(Batch<Integer> batch) {
    handed.add(batch);
    CompletableFuture<Void> stage = new CompletableFuture<>();
    if (pending.put(batch.sequence(), stage) != null) {
      throw new AssertionError("batch " + batch.sequence() + " handed out twice");
    }
    maxOutstanding = Math.max(maxOutstanding, pending.size());
    return stage;
  }

  /** Completes the stage of batch {@code sequence} normally. */
  void complete(long sequence) {
    take(sequence).complete(null);
  }

  /** Completes the stage of batch {@code sequence} with {@code error}. */
  void fail(long sequence, Throwable error) {
    take(sequence).completeExceptionally(error);
  }

  // Removed before it is completed: completing it may hand out the next batch synchronously.
  private CompletableFuture<Void> take(long sequence) {
    CompletableFuture<Void> stage = pending.remove(sequence);
    if (stage == null) {
      throw new AssertionError("no stage outstanding for batch " + sequence);
    }
    return stage;
  }

  /** The sequence numbers of the batches whose stages are outstanding, lowest first. */
  List<Long> outstanding() {
    List<Long> sequences = new ArrayList<>(pending.keySet());
    sequences.sort(null);
    return sequences;
  }

  int maxOutstanding() {
    return maxOutstanding;
  }

  List<Long> sequences() {
    List<Long> sequences = new ArrayList<>();
    for (Batch<Integer> batch : handed) {
      sequences.add(batch.sequence());
    }
    return sequences;
  }

  List<Integer> items() {
    List<Integer> items = new ArrayList<>();
    for (Batch<Integer> batch : handed) {
      items.addAll(batch.items());
    }
    return items;
  }

  Batch<Integer> last() {
    return handed.get(handed.size() - 1);
  }
}
