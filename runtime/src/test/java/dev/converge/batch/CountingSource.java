package dev.converge.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An endless source with every item ready at once: it hands out 0, 1, 2, … and counts how many items
 * the iterator has taken, so tests can check the prefetch memory bound.
 */
final class CountingSource implements BatchSource<Long> {
  private long taken;
  private int polls;
  private boolean closed;

  @Override
  public synchronized CompletionStage<List<Long>> poll(int max) {
    polls++;
    int n = Math.min(max, 1_000);
    List<Long> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(taken++);
    }
    return CompletableFuture.completedFuture(items);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  synchronized long taken() {
    return taken;
  }

  synchronized int polls() {
    return polls;
  }

  synchronized boolean closed() {
    return closed;
  }
}
