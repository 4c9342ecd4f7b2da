package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Builder validation: bad values name the setting and the allowed range. */
class BatchIteratorBuilderTest {

  private final BatchIterator.Builder<Integer> builder =
      BatchIterator.builder(BatchChannel.<Integer>bounded(1));

  @Test
  void maxSizeBelowOneIsRejectedWithItsRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.maxSize(0));
    assertEquals("maxSize must be in 1..2147483647, was 0", e.getMessage());
  }

  @Test
  void negativeMaxWaitIsRejectedWithItsRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.maxWait(Duration.ofNanos(-1)));
    assertEquals(
        "maxWait must be >= 0 (Duration.ZERO or longer), was PT-0.000000001S", e.getMessage());
  }

  @Test
  void negativePrefetchIsRejectedWithItsRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.prefetch(-1));
    assertEquals("prefetch must be in 0..2147483647, was -1", e.getMessage());
  }

  @Test
  void nullsAreRejected() {
    assertThrows(NullPointerException.class, () -> BatchIterator.builder(null));
    assertThrows(NullPointerException.class, () -> builder.maxWait(null));
    assertThrows(NullPointerException.class, () -> builder.scheduler(null));
  }

  @Test
  void extremeButValidValuesAreAccepted() {
    BatchIterator<Integer> iterator =
        builder
            .maxSize(Integer.MAX_VALUE)
            .maxWait(Duration.ofSeconds(Long.MAX_VALUE))
            .prefetch(Integer.MAX_VALUE)
            .scheduler(new ManualScheduler())
            .build();
    assertEquals(0, iterator.close().size());
  }
}
