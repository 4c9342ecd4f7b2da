package dev.converge.batch;

import static dev.converge.batch.Fixture.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prefetch, backpressure and the (prefetch + 1) * maxSize memory bound. */
class BatchIteratorPrefetchTest {

  private static final long WAIT = Duration.ofMillis(20).toNanos();

  private static BatchIterator<Long> over(CountingSource source, int maxSize, int prefetch) {
    return BatchIterator.builder(source)
        .maxSize(maxSize)
        .maxWait(Duration.ofMillis(20))
        .prefetch(prefetch)
        .scheduler(new ManualScheduler())
        .build();
  }

  @Test
  void iteratorTakesAtMostPrefetchPlusOneBatchesFromAFastSource() {
    CountingSource source = new CountingSource();
    over(source, 50, 3);
    assertEquals(4 * 50, source.taken());
  }

  @Test
  void withPrefetchZeroOnlyTheBatchBeingFilledIsHeld() {
    CountingSource source = new CountingSource();
    over(source, 50, 0);
    assertEquals(50, source.taken());
  }

  @Test
  void claimingABatchLetsExactlyOneMoreBatchIn() {
    CountingSource source = new CountingSource();
    BatchIterator<Long> iterator = over(source, 50, 2);
    for (int claimed = 1; claimed <= 10; claimed++) {
      Batch<Long> batch = iterator.next().join().orElseThrow();
      assertEquals(50, batch.size());
      assertEquals(Batch.Reason.SIZE, batch.reason());
      assertEquals((claimed + 3) * 50L, source.taken(), "after claiming " + claimed);
    }
  }

  @Test
  void batchesAheadAreAssembledWhileTheConsumerHoldsOne() {
    Fixture f = new Fixture(3, Duration.ofMillis(20), 2);
    f.sendRange(0, 3);
    Batch<Integer> held = f.take();
    f.sendRange(3, 9);
    // Batches 1 and 2 are complete although nobody has asked for them yet.
    assertEquals(List.of(3, 4, 5), f.take().items());
    assertEquals(List.of(6, 7, 8), f.take().items());
    assertEquals(0, held.sequence());
  }

  @Test
  void lingeredBatchWithNoRoomKeepsTakingItemsUntilFull() {
    Fixture f = new Fixture(5, Duration.ofMillis(20), 1);
    f.send(0);
    f.advance(WAIT); // batch 0 = [0] is complete and waits in the prefetch slot
    f.send(1);
    f.advance(WAIT); // batch 1's linger ran out, but there is no room for it
    f.send(2, 3, 4, 5, 6, 7); // so it keeps taking items up to maxSize
    assertEquals(List.of(0), f.take().items());
    Batch<Integer> fuller = f.take();
    assertEquals(List.of(1, 2, 3, 4, 5), fuller.items());
    assertEquals(Batch.Reason.TIME, fuller.reason());
  }

  @Test
  void slowConsumerGetsFullerBatchesNotMoreOfThem() {
    Fixture f = new Fixture(100, Duration.ofMillis(20), 1);
    for (int i = 0; i < 50; i++) {
      f.send(i);
      f.advance(WAIT);
    }
    assertEquals(List.of(0), f.take().items());
    assertEquals(range(1, 50), f.take().items());
  }

  @Test
  void pollingStopsWhenFullAndResumesWhenABatchIsClaimed() {
    CountingSource source = new CountingSource();
    ManualScheduler time = new ManualScheduler();
    BatchIterator<Long> iterator =
        BatchIterator.builder(source)
            .maxSize(10)
            .maxWait(Duration.ofMillis(20))
            .prefetch(1)
            .scheduler(time)
            .build();
    int pollsWhenFull = source.polls();
    time.advance(Duration.ofHours(1));
    assertEquals(pollsWhenFull, source.polls(), "no polling while prefetch is full");
    assertEquals(20, source.taken());
    iterator.next().join();
    assertTrue(source.polls() > pollsWhenFull);
    assertEquals(30, source.taken());
  }

  @Test
  void memoryBoundHoldsWithMaxSizeIntegerMaxValue() {
    Fixture f = new Fixture(Integer.MAX_VALUE, Duration.ofMillis(20), 1);
    f.sendRange(0, 10_000);
    f.advance(WAIT);
    assertEquals(range(0, 10_000), f.take().items());
  }
}
