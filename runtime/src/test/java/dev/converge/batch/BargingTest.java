package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * {@link Barging#lock} acquires the lock whether it is free, released during the tries, or held
 * long enough that the caller queues; and it is mutually exclusive with plain {@code lock()}.
 */
class BargingTest {

  @Test
  void takesAFreeLockAtOnce() {
    ReentrantLock lock = new ReentrantLock();

    Barging.lock(lock);

    assertTrue(lock.isHeldByCurrentThread());
    assertEquals(1, lock.getHoldCount());
    lock.unlock();
  }

  @Test
  void queuesBehindAHolderAndTakesTheLockOnceItIsReleased() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    lock.lock();
    CountDownLatch acquired = new CountDownLatch(1);
    AtomicBoolean heldByItself = new AtomicBoolean();
    Thread consumer =
        new Thread(
            () -> {
              Barging.lock(lock);
              heldByItself.set(lock.isHeldByCurrentThread());
              acquired.countDown();
              lock.unlock();
            });
    consumer.start();
    // Past its tries, the consumer parks on the lock like any waiter.
    while (!lock.hasQueuedThread(consumer)) {
      Thread.onSpinWait();
    }
    assertEquals(1, acquired.getCount(), "the lock is still held here");

    lock.unlock();

    assertTrue(acquired.await(30, TimeUnit.SECONDS));
    consumer.join();
    assertTrue(heldByItself.get());
    assertFalse(lock.isLocked());
  }

  @Test
  void excludesThreadsThatUsePlainLock() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    int[] counter = {0};
    int rounds = 20_000;
    int producers = 3;
    CountDownLatch start = new CountDownLatch(1);
    Thread[] threads = new Thread[producers + 1];
    for (int p = 0; p < producers; p++) {
      threads[p] =
          new Thread(
              () -> {
                awaitQuietly(start);
                for (int i = 0; i < rounds; i++) {
                  lock.lock();
                  try {
                    counter[0]++;
                  } finally {
                    lock.unlock();
                  }
                }
              });
    }
    threads[producers] =
        new Thread(
            () -> {
              awaitQuietly(start);
              for (int i = 0; i < rounds; i++) {
                Barging.lock(lock);
                try {
                  counter[0]++;
                } finally {
                  lock.unlock();
                }
              }
            });
    for (Thread thread : threads) {
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    lock.lock();
    try {
      assertEquals((producers + 1) * rounds, counter[0]);
    } finally {
      lock.unlock();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
