package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.ManualScheduler;
import dev.converge.kafka.KafkaSourceMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A broker outage as the commits see it, in virtual time: one line as it starts, one as it ends,
 * however many commits were retried meanwhile; a rebalance is no outage; an outage longer than
 * {@code --give-up-after} ends the run with one line naming the Kafka cluster.
 */
class BrokerOutageWatchTest {

  private static final String CLUSTER = "the Kafka cluster at broker:9092";

  private final ManualScheduler time = new ManualScheduler();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final ServiceMetrics metrics = new ServiceMetrics();
  private final List<OutageTooLongException> gaveUp = new ArrayList<>();
  private final List<String> passedOn = new ArrayList<>();

  private final KafkaSourceMetrics meters =
      new KafkaSourceMetrics() {
        @Override
        public void commitAcknowledged(int partitions, long latencyNanos) {
          passedOn.add("acknowledged " + partitions);
        }

        @Override
        public void commitRetried(int partitions, long latencyNanos, Throwable cause) {
          passedOn.add("retried " + partitions);
        }
      };

  private BrokerOutageWatch watch(Duration giveUpAfter) {
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    OutageReporter outage = new OutageReporter(CLUSTER, giveUpAfter, time, out, metrics);
    return new BrokerOutageWatch(meters, outage, gaveUp::add);
  }

  private List<String> lines() {
    String text = printed.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void anOutageIsOneLineWhenItStartsAndOneWhenItEnds() {
    BrokerOutageWatch watch = watch(Duration.ofMinutes(5));

    watch.commitRetried(2, 0, new RetriableCommitFailedException(new TimeoutException("no node")));
    time.advance(Duration.ofSeconds(3));
    watch.commitRetried(2, 0, new CoordinatorNotAvailableException("coordinator not available"));
    time.advance(Duration.ofMillis(9_400));
    watch.commitAcknowledged(2, 0);
    watch.commitAcknowledged(1, 0);

    assertEquals(
        List.of(
            "outage: " + CLUSTER + " is unreachable: no node; retrying for up to 5m",
            "outage over: " + CLUSTER + " is back after 12.4 s"),
        lines());
    assertEquals(1, metrics.snapshot().outages());
    assertTrue(gaveUp.isEmpty());
    assertEquals(
        List.of("retried 2", "retried 2", "acknowledged 2", "acknowledged 1"),
        passedOn,
        "every call reaches the wrapped metrics");
  }

  @Test
  void aRebalanceIsNoOutage() {
    BrokerOutageWatch watch = watch(Duration.ofMinutes(5));

    watch.commitRetried(4, 0, new RebalanceInProgressException("rebalancing"));
    time.advance(Duration.ofMinutes(10));
    watch.commitRetried(4, 0, new RebalanceInProgressException("rebalancing"));
    watch.commitAcknowledged(4, 0);

    assertEquals(List.of(), lines());
    assertEquals(0, metrics.snapshot().outages());
    assertTrue(gaveUp.isEmpty());
  }

  @Test
  void anOutageLongerThanGiveUpAfterEndsTheRunWithOneLineNamingTheCluster() {
    BrokerOutageWatch watch = watch(Duration.ofSeconds(30));

    watch.commitRetried(1, 0, new TimeoutException("Timeout of 60000ms expired"));
    time.advance(Duration.ofSeconds(30));
    watch.commitRetried(1, 0, new TimeoutException("Timeout of 60000ms expired"));
    assertTrue(gaveUp.isEmpty(), "at the limit, not past it");
    time.advance(Duration.ofMillis(1));
    watch.commitRetried(1, 0, new TimeoutException("Timeout of 60000ms expired"));

    assertEquals(1, gaveUp.size());
    String line =
        new ServiceFailure("stored orders could not be committed", gaveUp.get(0)).getMessage();
    assertEquals(
        "gave up on "
            + CLUSTER
            + ": unreachable for 30.0 s (--give-up-after 30s): Timeout of 60000ms expired",
        line);
  }

  @Test
  void aLostConnectionIsNamedNotJustItsClass() {
    BrokerOutageWatch watch = watch(Duration.ofMinutes(5));

    watch.commitRetried(1, 0, new DisconnectException());

    assertEquals(
        List.of(
            "outage: "
                + CLUSTER
                + " is unreachable: the connection to a broker was lost (DisconnectException);"
                + " retrying for up to 5m"),
        lines());
  }

  @Test
  void unreachableLooksThroughTheWrappers() {
    assertTrue(
        BrokerOutageWatch.unreachable(
            new RetriableCommitFailedException(new CoordinatorNotAvailableException("none"))));
    assertFalse(BrokerOutageWatch.unreachable(new RebalanceInProgressException("rebalancing")));
    assertFalse(BrokerOutageWatch.unreachable(new IllegalStateException("other")));
  }
}
