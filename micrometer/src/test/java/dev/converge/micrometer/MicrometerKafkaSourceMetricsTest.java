package dev.converge.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The Kafka source meters, driven by calling the hook directly. */
class MicrometerKafkaSourceMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerKafkaSourceMetrics metrics =
      MicrometerKafkaSourceMetrics.create(registry, "orders", Tags.of("region", "eu"));

  @Test
  void registersTheMetersAtZeroBeforeTheSourceStarts() {
    assertEquals(0, commits("acknowledged", "none").count());
    assertEquals(0, gauge("converge.kafka.paused"));
    assertEquals(0, gauge("converge.kafka.held"));
    assertEquals(0, gauge("converge.kafka.unmarked"));
    for (String kind : new String[] {"assigned", "revoked", "lost"}) {
      assertEquals(0, rebalances(kind));
      assertEquals(0, movedPartitions(kind));
    }
    assertEquals(0, registry.get("converge.kafka.dead.letters").counter().count());
    for (Meter meter : registry.getMeters()) {
      assertEquals("orders", meter.getId().getTag("name"), meter.getId().toString());
      assertEquals("eu", meter.getId().getTag("region"), meter.getId().toString());
      assertNotNull(meter.getId().getDescription(), meter.getId().toString());
    }
  }

  @Test
  void timesCommitsByOutcomeAndException() {
    metrics.commitAcknowledged(3, 2_000_000);
    metrics.commitAcknowledged(1, 4_000_000);
    metrics.commitRetried(2, 1_000_000, new RebalanceInProgressException("rebalancing"));
    metrics.commitFailed(2, 5_000_000, new TopicAuthorizationException("no"));

    Timer acknowledged = commits("acknowledged", "none");
    assertEquals(2, acknowledged.count());
    assertEquals(6_000_000, acknowledged.totalTime(TimeUnit.NANOSECONDS));
    Timer retried = commits("retried", "RebalanceInProgressException");
    assertEquals(1, retried.count());
    assertEquals(1_000_000, retried.totalTime(TimeUnit.NANOSECONDS));
    Timer failed = commits("failed", "TopicAuthorizationException");
    assertEquals(1, failed.count());
    assertEquals(5_000_000, failed.totalTime(TimeUnit.NANOSECONDS));
  }

  @Test
  void thePausedGaugeFollowsEachChange() {
    metrics.pausedChanged(true);
    assertEquals(1, gauge("converge.kafka.paused"));
    metrics.pausedChanged(false);
    assertEquals(0, gauge("converge.kafka.paused"));
  }

  @Test
  void theRecordGaugesShowTheLastSample() {
    metrics.recordsHeld(500, 1200);
    assertEquals(500, gauge("converge.kafka.held"));
    assertEquals(1200, gauge("converge.kafka.unmarked"));
    metrics.recordsHeld(0, 30);
    assertEquals(0, gauge("converge.kafka.held"));
    assertEquals(30, gauge("converge.kafka.unmarked"));
  }

  @Test
  void countsRebalanceCallbacksThatMovedPartitionsAndThePartitionsMoved() {
    metrics.partitionsAssigned(4);
    metrics.partitionsAssigned(
        0); // the classic protocol calls back with none; not a rebalance here
    metrics.partitionsRevoked(2);
    metrics.partitionsAssigned(2);
    metrics.partitionsLost(3);

    assertEquals(2, rebalances("assigned"));
    assertEquals(6, movedPartitions("assigned"));
    assertEquals(1, rebalances("revoked"));
    assertEquals(2, movedPartitions("revoked"));
    assertEquals(1, rebalances("lost"));
    assertEquals(3, movedPartitions("lost"));
  }

  @Test
  void countsDeadLetters() {
    metrics.deadLettered(new TopicPartition("orders", 0), 17);
    metrics.deadLettered(new TopicPartition("orders", 1), 4);

    assertEquals(2, registry.get("converge.kafka.dead.letters").counter().count());
  }

  private Timer commits(String outcome, String exception) {
    return registry
        .get("converge.kafka.commit")
        .tag("name", "orders")
        .tag("outcome", outcome)
        .tag("exception", exception)
        .timer();
  }

  private double gauge(String name) {
    return registry.get(name).tag("name", "orders").gauge().value();
  }

  private double rebalances(String kind) {
    return registry.get("converge.kafka.rebalances").tag("kind", kind).counter().count();
  }

  private double movedPartitions(String kind) {
    return registry.get("converge.kafka.rebalance.partitions").tag("kind", kind).counter().count();
  }
}
