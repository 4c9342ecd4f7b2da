package dev.converge.examples;

import dev.converge.kafka.KafkaSourceMetrics;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Tells a broker outage from the source's offset commits, the one call of the source that must
 * reach the group coordinator while records are being processed: a commit retried because no
 * broker answered starts an outage, the next acknowledged commit ends it. The lines are the
 * database's ({@link OutageReporter}), naming the Kafka cluster:
 *
 * <pre>
 * outage: the Kafka cluster at localhost:9092 is unreachable: ...; retrying for up to 5m
 * outage over: the Kafka cluster at localhost:9092 is back after 12.3 s
 * </pre>
 *
 * <p>Only unreachability counts: a commit retried because the group is rebalancing is no outage.
 * A member that commits nothing meanwhile (nothing left to process) notices no outage, and has no
 * need to: Kafka's client reconnects by itself, and the source keeps polling.
 *
 * <p>An outage longer than {@code --give-up-after} hands {@link OutageReporter#tooLong}'s exception
 * to {@code giveUp}, which ends the run with that one line. Every call is also passed on to the
 * metrics this watch wraps. Called on the source's thread; {@code giveUp} must not block.
 */
final class BrokerOutageWatch implements KafkaSourceMetrics {

  private final KafkaSourceMetrics metrics;
  private final OutageReporter outage;
  private final Consumer<OutageTooLongException> giveUp;

  /**
   * Creates a watch.
   *
   * @param metrics where every call is passed on
   * @param outage the reporter of the Kafka cluster's outages
   * @param giveUp told once an outage has lasted longer than the reporter's limit
   */
  BrokerOutageWatch(
      KafkaSourceMetrics metrics, OutageReporter outage, Consumer<OutageTooLongException> giveUp) {
    this.metrics = metrics;
    this.outage = outage;
    this.giveUp = giveUp;
  }

  @Override
  public void commitAcknowledged(int partitions, long latencyNanos) {
    metrics.commitAcknowledged(partitions, latencyNanos);
    outage.reachable(outage.nanoTime() - latencyNanos); // when the commit was sent
  }

  @Override
  public void commitRetried(int partitions, long latencyNanos, Throwable cause) {
    metrics.commitRetried(partitions, latencyNanos, cause);
    Throwable noAnswer = noAnswer(cause);
    if (noAnswer == null) {
      return;
    }
    long lasted = outage.unreachable(noAnswer);
    long limit = outage.giveUpAfter().toNanos();
    if (limit == 0 || lasted > limit) { // a limit of zero rides through nothing
      giveUp.accept(outage.tooLong(noAnswer, lasted));
    }
  }

  /** Whether an error says that no broker (or no coordinator) answered, anywhere in its chain. */
  static boolean unreachable(Throwable error) {
    return noAnswer(error) != null;
  }

  /**
   * The error in {@code error}'s chain that says no broker (or no coordinator) answered, or null.
   * The lines quote it rather than its wrapper, whose message ("Offset commit failed with a
   * retriable exception…") says nothing about the outage.
   */
  private static Throwable noAnswer(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof TimeoutException
          || e instanceof CoordinatorNotAvailableException
          || e instanceof NotCoordinatorException
          || e instanceof DisconnectException
          || e instanceof NetworkException) {
        // Kafka's DisconnectException has no message; the outage line says what it means.
        return e.getMessage() != null
            ? e
            : new KafkaException(
                "the connection to a broker was lost (" + e.getClass().getSimpleName() + ")", e);
      }
    }
    return null;
  }

  @Override
  public void commitFailed(int partitions, long latencyNanos, Throwable error) {
    metrics.commitFailed(partitions, latencyNanos, error);
  }

  @Override
  public void pausedChanged(boolean paused) {
    metrics.pausedChanged(paused);
  }

  @Override
  public void recordsHeld(long fetched, long deliveredUnmarked) {
    metrics.recordsHeld(fetched, deliveredUnmarked);
  }

  @Override
  public void partitionsAssigned(int partitions) {
    metrics.partitionsAssigned(partitions);
  }

  @Override
  public void partitionsRevoked(int partitions) {
    metrics.partitionsRevoked(partitions);
  }

  @Override
  public void partitionsLost(int partitions) {
    metrics.partitionsLost(partitions);
  }

  @Override
  public void deadLettered(TopicPartition from, long offset) {
    metrics.deadLettered(from, offset);
  }
}
