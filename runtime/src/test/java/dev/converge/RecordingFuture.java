package dev.converge;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link CompletableFuture} subclass that overrides {@link #cancel(boolean)}, as user code does to
 * release a resource on cancellation; it records each call, and every dependent stage created on
 * it (through {@link #newIncompleteFuture()}), so a test can see how the engine observes it.
 */
final class RecordingFuture<T> extends CompletableFuture<T> {
  private final AtomicInteger cancelCalls = new AtomicInteger();
  private volatile boolean interruptRequested;
  private final List<CompletableFuture<?>> dependents = new CopyOnWriteArrayList<>();

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    cancelCalls.incrementAndGet();
    interruptRequested = mayInterruptIfRunning;
    return super.cancel(mayInterruptIfRunning);
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    CompletableFuture<U> dependent = new CompletableFuture<>();
    dependents.add(dependent);
    return dependent;
  }

  /** The dependent stages created on this future so far, in creation order. */
  List<CompletableFuture<?>> dependents() {
    return List.copyOf(dependents);
  }

  int cancelCalls() {
    return cancelCalls.get();
  }

  boolean interruptRequested() {
    return interruptRequested;
  }
}
