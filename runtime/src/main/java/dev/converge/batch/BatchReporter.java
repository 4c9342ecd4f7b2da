package dev.converge.batch;

/**
 * Makes the {@link BatchReport} of each batch a {@link BatchIterator} hands over, and passes it to
 * the iterator's {@link BatchMetrics}. The iterator has one only when metrics are set, so without
 * them nothing here runs: no clock is read and nothing is allocated.
 *
 * <p>It keeps the clock readings a report needs: when the batch being assembled took its first
 * items and when it became complete, and the same pair, with the item count, for each complete
 * batch in the iterator's ready queue (a FIFO ring, in the queue's order). The iterator tells it
 * about each step of a batch, with its lock held; the report is passed on with no lock held ({@link
 * #report}).
 *
 * <p>Not thread-safe: guarded by the iterator's lock, except {@link #report}.
 */
final class BatchReporter {

  private final BatchMetrics metrics;
  private final Scheduler clock;

  /** When the batch being assembled took its first items, and when it became complete. */
  private long startedAt;

  private long dueAt;

  /** For each queued batch, oldest first: its start, its completion (two slots per batch). */
  private long[] queued = new long[8];

  private int head;
  private int count;

  /** Items in the queued batches. */
  private long queuedItems;

  BatchReporter(BatchMetrics metrics, Scheduler clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * The reporter an iterator needs for {@code metrics}: none for {@link BatchMetrics#NOOP}, so that
   * an iterator without metrics does no work for them.
   */
  static BatchReporter of(BatchMetrics metrics, Scheduler clock) {
    return metrics == BatchMetrics.NOOP ? null : new BatchReporter(metrics, clock);
  }

  /** The batch being assembled took its first items. */
  void started() {
    startedAt = clock.nanoTime();
  }

  /** The batch being assembled is complete (by size, time or end). */
  void due() {
    dueAt = clock.nanoTime();
  }

  /** The complete batch went to the ready queue, behind the batches already there. */
  void queued(Batch<?> batch) {
    if (2 * (count + 1) > queued.length) {
      grow();
    }
    int slot = (2 * (head + count)) % queued.length;
    queued[slot] = startedAt;
    queued[slot + 1] = dueAt;
    count++;
    queuedItems += batch.size();
  }

  /**
   * The complete batch being assembled goes straight to a waiting consumer.
   *
   * @return its report, for {@link #report} once the lock is released
   */
  BatchReport handedOverDirectly(Batch<?> batch) {
    return report(batch, startedAt, dueAt, queuedItems + batch.size());
  }

  /**
   * The oldest queued batch goes to a consumer.
   *
   * @param assembling items in the batch being assembled (0: none)
   * @return its report, for {@link #report} once the lock is released
   */
  BatchReport handedOverFromQueue(Batch<?> batch, int assembling) {
    int slot = 2 * head;
    long started = queued[slot];
    long due = queued[slot + 1];
    long held = queuedItems + assembling;
    head = (head + 1) % (queued.length / 2);
    count--;
    queuedItems -= batch.size();
    return report(batch, started, due, held);
  }

  /** The iterator was closed: the queued batches are discarded, unreported. */
  void cleared() {
    head = 0;
    count = 0;
    queuedItems = 0;
  }

  /**
   * Passes a report to the metrics; call it with no lock held. Whatever the metrics throw goes to
   * the thread's uncaught exception handler, as an executor reports a failed task, and no further:
   * the batch is delivered all the same.
   */
  void report(BatchReport report) {
    try {
      metrics.onBatch(report);
    } catch (Throwable e) {
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
    }
  }

  private BatchReport report(Batch<?> batch, long started, long due, long held) {
    long now = clock.nanoTime();
    return new BatchReport(
        batch.sequence(),
        batch.size(),
        batch.reason(),
        Math.max(0, due - started),
        Math.max(0, now - due),
        held);
  }

  private void grow() {
    long[] larger = new long[queued.length * 2];
    int batches = queued.length / 2;
    for (int i = 0; i < count; i++) {
      int from = 2 * ((head + i) % batches);
      larger[2 * i] = queued[from];
      larger[2 * i + 1] = queued[from + 1];
    }
    queued = larger;
    head = 0;
  }
}
