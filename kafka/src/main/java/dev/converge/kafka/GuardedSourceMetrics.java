package dev.converge.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * The user's {@link KafkaSourceMetrics} as the source calls it: an exception a method throws goes
 * to the calling thread's uncaught exception handler, as an executor reports a failed task, and no
 * further, so that metrics can never stop the source's thread.
 */
final class GuardedSourceMetrics implements KafkaSourceMetrics {

  private final KafkaSourceMetrics metrics;

  private GuardedSourceMetrics(KafkaSourceMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code metrics} guarded; {@link KafkaSourceMetrics#NOOP} as it is, since it never throws. */
  static KafkaSourceMetrics of(KafkaSourceMetrics metrics) {
    return metrics == KafkaSourceMetrics.NOOP ? metrics : new GuardedSourceMetrics(metrics);
  }

  @Override
  public void commitAcknowledged(int partitions, long latencyNanos) {
    try {
      metrics.commitAcknowledged(partitions, latencyNanos);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void commitRetried(int partitions, long latencyNanos, Throwable cause) {
    try {
      metrics.commitRetried(partitions, latencyNanos, cause);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void commitFailed(int partitions, long latencyNanos, Throwable error) {
    try {
      metrics.commitFailed(partitions, latencyNanos, error);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void pausedChanged(boolean paused) {
    try {
      metrics.pausedChanged(paused);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void recordsHeld(long fetched, long deliveredUnmarked) {
    try {
      metrics.recordsHeld(fetched, deliveredUnmarked);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void partitionsAssigned(int partitions) {
    try {
      metrics.partitionsAssigned(partitions);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void partitionsRevoked(int partitions) {
    try {
      metrics.partitionsRevoked(partitions);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void partitionsLost(int partitions) {
    try {
      metrics.partitionsLost(partitions);
    } catch (Throwable e) {
      report(e);
    }
  }

  @Override
  public void deadLettered(TopicPartition from, long offset) {
    try {
      metrics.deadLettered(from, offset);
    } catch (Throwable e) {
      report(e);
    }
  }

  private static void report(Throwable e) {
    Thread thread = Thread.currentThread();
    thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
  }

  @Override
  public String toString() {
    return "guarded " + metrics;
  }
}
