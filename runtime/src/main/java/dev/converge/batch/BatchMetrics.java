package dev.converge.batch;

/**
 * Receives one {@link BatchReport} for every batch a {@link BatchIterator} hands over: how big it
 * was, why it was emitted, how long it took to fill, how long it waited for the consumer, and how
 * many items the iterator still holds. Set it with {@code
 * BatchIterator.Builder.metrics(BatchMetrics)}.
 *
 * <pre>{@code
 * BatchIterator<Order> batches = BatchIterator.builder(source)
 *     .metrics(report -> sizes.record(report.size()))
 *     .build();
 * }</pre>
 *
 * <p>{@code converge-micrometer} binds it to a Micrometer {@code MeterRegistry}; this interface
 * keeps the runtime free of any dependency.
 *
 * <p><b>When it is called.</b> Once per batch, never per item, when the batch is handed to the
 * consumer: to a {@link BatchIterator#next()} future, and so to {@code forEach}, the blocking
 * iterator, the stream or the publisher built on it. It is called just before that future
 * completes, on the thread that completes it (see {@link BatchIterator}'s threading rules), with no
 * lock of the iterator held. Batches handed over at the same time on different threads are reported
 * concurrently, so an implementation must be thread-safe. Reports may arrive out of sequence order
 * (a consumer that asks for the next batch from inside the delivery of the previous one is handed
 * it, and so reported, before the iteration that delivered the previous one has finished); {@link
 * BatchReport#sequence()} orders them. Batches discarded by {@link BatchIterator#close()} are not
 * reported.
 *
 * <p><b>What it must not do.</b> It runs on the path that delivers batches, so it should be quick
 * and must not block. An exception it throws is passed to the calling thread's uncaught exception
 * handler and goes no further: the batch is still delivered and the stream goes on.
 *
 * <p><b>What it costs.</b> With no listener set ({@link #NOOP}, the default) the iterator reads no
 * clock and allocates nothing for metrics. With one, it reads its scheduler's clock a few times per
 * batch and allocates one report per batch.
 */
@FunctionalInterface
public interface BatchMetrics {

  /** Reports nothing. The default: the iterator then does no work for metrics at all. */
  BatchMetrics NOOP =
      new BatchMetrics() {
        @Override
        public void onBatch(BatchReport report) {}

        @Override
        public String toString() {
          return "BatchMetrics.NOOP";
        }
      };

  /**
   * Receives the report of one batch, as it is handed to the consumer.
   *
   * @param report what the batch was and how long it took
   */
  void onBatch(BatchReport report);
}
