package dev.converge;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link CompletableFuture} subclass that overrides {@link #cancel(boolean)}, as user code does to
 * release a resource on cancellation; it records each call.
 */
final class RecordingFuture<T> extends CompletableFuture<T> {
  private final AtomicInteger cancelCalls = new AtomicInteger();
  private volatile boolean interruptRequested;

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    cancelCalls.incrementAndGet();
    interruptRequested = mayInterruptIfRunning;
    return super.cancel(mayInterruptIfRunning);
  }

  int cancelCalls() {
    return cancelCalls.get();
  }

  boolean interruptRequested() {
    return interruptRequested;
  }
}
