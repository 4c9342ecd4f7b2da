package dev.converge;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * A callable branch that blocks until released or interrupted, with latches that let a test prove
 * what its thread saw: {@link #started} once it runs, {@link #interrupted} when its wait was
 * interrupted, {@link #finished} when it returned normally.
 */
final class BlockingCallable<T> implements Callable<T> {
  final CountDownLatch started = new CountDownLatch(1);
  final CountDownLatch interrupted = new CountDownLatch(1);
  final CountDownLatch finished = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final T value;

  BlockingCallable(T value) {
    this.value = value;
  }

  /** Lets the callable return its value. */
  void release() {
    release.countDown();
  }

  @Override
  public T call() throws InterruptedException {
    started.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      interrupted.countDown();
      throw e;
    }
    finished.countDown();
    return value;
  }
}
