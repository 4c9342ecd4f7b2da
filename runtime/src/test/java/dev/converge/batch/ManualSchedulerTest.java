package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  private final ManualScheduler time = new ManualScheduler();
  private final List<String> log = new ArrayList<>();

  @Test
  void clockStartsAtZeroAndMovesOnlyWhenAdvanced() {
    assertEquals(0, time.nanoTime());
    time.advance(Duration.ofNanos(5));
    assertEquals(5, time.nanoTime());
    time.advance(Duration.ZERO);
    assertEquals(5, time.nanoTime());
  }

  @Test
  void timerRunsExactlyWhenDueAndNotOneNanosecondEarlier() {
    time.schedule(() -> log.add("fired"), 100);
    time.advance(Duration.ofNanos(99));
    assertEquals(List.of(), log);
    assertEquals(1, time.pendingTimers());
    time.advance(Duration.ofNanos(1));
    assertEquals(List.of("fired"), log);
    assertEquals(0, time.pendingTimers());
  }

  @Test
  void timersRunInDueOrderWithTiesInSchedulingOrder() {
    time.schedule(() -> log.add("c@30"), 30);
    time.schedule(() -> log.add("a@10"), 10);
    time.schedule(() -> log.add("b1@20"), 20);
    time.schedule(() -> log.add("b2@20"), 20);
    time.advance(Duration.ofNanos(30));
    assertEquals(List.of("a@10", "b1@20", "b2@20", "c@30"), log);
  }

  @Test
  void clockReadsTheDueInstantWhileATimerRuns() {
    List<Long> seen = new ArrayList<>();
    time.schedule(() -> seen.add(time.nanoTime()), 10);
    time.schedule(() -> seen.add(time.nanoTime()), 25);
    time.advance(Duration.ofNanos(100));
    assertEquals(List.of(10L, 25L), seen);
    assertEquals(100, time.nanoTime());
  }

  @Test
  void timerScheduledByATimerRunsInTheSameAdvanceWhenDueWithinIt() {
    time.schedule(
        () -> {
          log.add("first@10");
          time.schedule(() -> log.add("second@15"), 5);
          time.schedule(() -> log.add("late@60"), 50);
        },
        10);
    time.advance(Duration.ofNanos(20));
    assertEquals(List.of("first@10", "second@15"), log);
    assertEquals(1, time.pendingTimers());
    time.advance(Duration.ofNanos(40));
    assertEquals(List.of("first@10", "second@15", "late@60"), log);
  }

  @Test
  void zeroDelayTimerRunsOnTheNextAdvanceNotInline() {
    time.schedule(() -> log.add("now"), 0);
    assertEquals(List.of(), log);
    time.advance(Duration.ZERO);
    assertEquals(List.of("now"), log);
  }

  @Test
  void cancelledTimerNeverRunsAndIsNotPending() {
    Scheduler.Timer timer = time.schedule(() -> log.add("cancelled"), 10);
    assertTrue(timer.cancel());
    assertFalse(timer.cancel());
    assertEquals(0, time.pendingTimers());
    time.advance(Duration.ofNanos(10));
    assertEquals(List.of(), log);
  }

  @Test
  void cancelAfterRunningReturnsFalse() {
    Scheduler.Timer timer = time.schedule(() -> log.add("ran"), 1);
    time.advance(Duration.ofNanos(1));
    assertFalse(timer.cancel());
  }

  @Test
  void timersRunOnTheAdvancingThread() {
    Thread caller = Thread.currentThread();
    List<Thread> threads = new ArrayList<>();
    time.schedule(() -> threads.add(Thread.currentThread()), 1);
    time.advance(Duration.ofNanos(1));
    assertEquals(List.of(caller), threads);
  }

  @Test
  void hugeDelaysSaturateInsteadOfOverflowing() {
    time.advance(Duration.ofNanos(10));
    time.schedule(() -> log.add("never"), Long.MAX_VALUE);
    time.advance(Duration.ofDays(365 * 200));
    assertEquals(List.of(), log);
    assertEquals(1, time.pendingTimers());
  }

  @Test
  void negativeAdvanceIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> time.advance(Duration.ofNanos(-1)));
    assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
  }

  @Test
  void aThrowingTimerStopsTheAdvanceAtItsDueTimeAndLeavesLaterTimersPending() {
    time.schedule(
        () -> {
          throw new IllegalStateException("boom");
        },
        10);
    time.schedule(() -> log.add("later"), 20);
    assertThrows(IllegalStateException.class, () -> time.advance(Duration.ofNanos(30)));
    assertEquals(10, time.nanoTime());
    assertEquals(1, time.pendingTimers());
    time.advance(Duration.ofNanos(10));
    assertEquals(List.of("later"), log);
  }

  @Test
  void schedulingFromManyThreadsWhileAdvancingLosesNoTimer() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    AtomicInteger fired = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    Scheduler.Timer timer = time.schedule(fired::incrementAndGet, i % 7);
                    if (i % 3 == 0 && timer.cancel()) {
                      time.schedule(fired::incrementAndGet, 1);
                    }
                  }
                } catch (Exception e) {
                  throw new AssertionError(e);
                } finally {
                  done.countDown();
                }
              });
      thread.start();
    }
    start.await();
    while (done.getCount() > 0) {
      time.advance(Duration.ofNanos(1));
    }
    done.await();
    time.advance(Duration.ofNanos(10));
    assertEquals(threads * perThread, fired.get());
    assertEquals(0, time.pendingTimers());
  }
}
