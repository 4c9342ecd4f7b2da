package dev.converge;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the tasks submitted to it and hands them to a delegate, to prove what was scheduled. */
final class CountingExecutor implements Executor {
  private final Executor delegate;
  private final AtomicInteger submissions = new AtomicInteger();

  CountingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    submissions.incrementAndGet();
    delegate.execute(task);
  }

  int submissions() {
    return submissions.get();
  }
}
