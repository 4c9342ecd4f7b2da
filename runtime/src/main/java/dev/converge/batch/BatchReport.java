package dev.converge.batch;

import java.util.Objects;

/**
 * What a {@link BatchIterator} reports to its {@link BatchMetrics} about one batch, as it hands it
 * over. Times are in nanoseconds of the iterator's {@link Scheduler} clock, so with a {@link
 * ManualScheduler} they are exact virtual times.
 *
 * <p>Read together they answer the tuning questions: mostly {@link Batch.Reason#TIME} batches well
 * under {@code maxSize} mean the items arrive more slowly than {@code maxWait} can gather a full
 * batch (a longer {@code maxWait} makes fuller batches, at the price of latency); mostly {@link
 * Batch.Reason#SIZE} with a short {@code fillNanos} means {@code maxSize} could be larger; a long
 * {@code waitNanos} and {@code heldItems} at {@code (prefetch + 1) * maxSize} mean the consumer
 * is the bottleneck and the iterator is holding back its source.
 *
 * @param sequence the batch's {@link Batch#sequence()}
 * @param size how many items it holds
 * @param reason why it was emitted
 * @param fillNanos from the moment its first item was received to the moment it was complete (by
 *     size, by time or by the end of the source); 0 when it was complete at once ({@code maxWait}
 *     zero, or a first poll that filled it)
 * @param waitNanos from the moment it was complete to the moment it was handed to the consumer; 0
 *     when a consumer was already waiting for it. A batch complete by time that waits for the
 *     consumer goes on taking items meanwhile, so {@code size} may have grown during this wait
 * @param heldItems how many items the iterator held when it handed this batch over, this batch
 *     included: in complete batches waiting for the consumer and in the batch being assembled. At
 *     most {@code (prefetch + 1) * maxSize}, which it reaches when a slow consumer has made it stop
 *     polling its source
 */
public record BatchReport(
    long sequence, int size, Batch.Reason reason, long fillNanos, long waitNanos, long heldItems) {

  /**
   * Checks the components.
   *
   * @param sequence the batch's sequence number, 0 or more
   * @param size its item count, 1 or more
   * @param reason why it was emitted
   * @param fillNanos 0 or more
   * @param waitNanos 0 or more
   * @param heldItems 0 or more
   * @throws IllegalArgumentException if a number is out of its range
   * @throws NullPointerException if {@code reason} is null
   */
  public BatchReport {
    Objects.requireNonNull(reason, "reason");
    if (sequence < 0 || size < 1 || fillNanos < 0 || waitNanos < 0 || heldItems < 0) {
      throw new IllegalArgumentException(
          "expected sequence >= 0, size >= 1 and times and held items >= 0, was sequence "
              + sequence
              + ", size "
              + size
              + ", fillNanos "
              + fillNanos
              + ", waitNanos "
              + waitNanos
              + ", heldItems "
              + heldItems);
    }
  }
}
