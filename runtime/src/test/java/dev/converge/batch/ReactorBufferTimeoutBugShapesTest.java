package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failure shapes reported against Reactor's {@code bufferTimeout}, each checked in virtual time:
 * reactor-core #994 and #1557 (timeouts with no demand: overflow errors and lost items), #3012 (buffers
 * leaked on cancel), #3106 (demand violated: more onNext than requested) and #4377 (a partial buffer
 * flushed early because demand arrived).
 */
class ReactorBufferTimeoutBugShapesTest {

  private static final long WAIT = Duration.ofMillis(10).toNanos();

  /** #994, #1557: the linger runs out many times while nobody asks; no error, nothing lost. */
  @Test
  void lingerRunningOutWithoutDemandNeitherFailsNorLosesItems() {
    Fixture f = new Fixture(10, Duration.ofMillis(10), 1);
    for (int i = 0; i < 95; i++) {
      f.send(i);
      f.advance(WAIT);
    }
    f.channel.complete();
    List<Integer> received = new ArrayList<>();
    int batches = 0;
    for (var b = f.iterator.next().join(); b.isPresent(); b = f.iterator.next().join()) {
      assertTrue(b.get().size() <= 10);
      received.addAll(b.get().items());
      batches++;
    }
    assertEquals(Fixture.range(0, 95), received);
    assertTrue(batches <= 12, "a slow consumer gets fuller batches, not more: " + batches);
  }

  /** #1557: with no demand the operator must not buffer without bound. */
  @Test
  void lingerRunningOutWithoutDemandDoesNotGrowTheBuffer() {
    CountingSource source = new CountingSource();
    ManualScheduler time = new ManualScheduler();
    BatchIterator.builder(source)
        .maxSize(10)
        .maxWait(Duration.ofMillis(10))
        .prefetch(2)
        .scheduler(time)
        .build();
    time.advance(Duration.ofSeconds(10));
    assertEquals(30, source.taken());
  }

  /** #3012: cancelling must hand back (not leak) the items buffered so far. */
  @Test
  void closingHandsBackEveryBufferedItem() {
    Fixture f = new Fixture(4, Duration.ofMillis(10), 2);
    f.sendRange(0, 11);
    f.advance(WAIT);
    assertEquals(Fixture.range(0, 11), f.iterator.close());
    assertEquals(0, f.time.pendingTimers());
  }

  /** #3106: never more onNext than requested, even when timers keep completing batches. */
  @Test
  void publisherNeverSignalsMoreThanRequested() {
    Fixture f = new Fixture(2, Duration.ofMillis(10), 3);
    RecordingSubscriber<Batch<Integer>> subscriber = new RecordingSubscriber<>();
    f.iterator.publisher().subscribe(subscriber);
    subscriber.request(2);
    for (int i = 0; i < 20; i++) {
      f.send(i);
      f.advance(WAIT);
    }
    assertEquals(2, subscriber.items.size());
    subscriber.request(1);
    assertEquals(3, subscriber.items.size());
    assertNull(subscriber.error);
  }

  /** #4377: demand arriving must not flush a partial batch before its linger runs out. */
  @Test
  void demandArrivingDoesNotFlushAPartialBatch() {
    Fixture f = new Fixture(5, Duration.ofMillis(10), 0);
    RecordingSubscriber<Batch<Integer>> subscriber = new RecordingSubscriber<>();
    f.iterator.publisher().subscribe(subscriber);
    f.send(1, 2);
    subscriber.request(1);
    f.advance(WAIT - 1);
    assertEquals(List.of(), subscriber.items);
    subscriber.request(5);
    assertEquals(List.of(), subscriber.items);
    f.advance(1);
    assertEquals(1, subscriber.items.size());
    assertEquals(List.of(1, 2), subscriber.items.get(0).items());
    assertEquals(Batch.Reason.TIME, subscriber.items.get(0).reason());
  }

  /** #3106, #994: a timer firing at the same instant a batch fills must not emit twice or lose. */
  @Test
  void batchFillingAtTheInstantItsLingerRunsOutIsEmittedOnce() {
    Fixture f = new Fixture(3, Duration.ofMillis(10), 0);
    var first = f.iterator.next();
    f.send(1);
    f.send(2);
    f.advance(WAIT);
    f.send(3);
    assertEquals(List.of(1, 2), Fixture.ready(first).items());
    var second = f.iterator.next();
    assertFalse(second.isDone());
    f.advance(WAIT);
    assertEquals(List.of(3), Fixture.ready(second).items());
  }
}
