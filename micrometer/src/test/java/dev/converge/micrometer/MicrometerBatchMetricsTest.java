package dev.converge.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchReport;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batch meters, driven with reports made by hand. */
class MicrometerBatchMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void registersEveryMeterAtZeroBeforeTheFirstBatch() {
    MicrometerBatchMetrics.create(registry, "orders");

    for (String reason : new String[] {"size", "time", "end"}) {
      assertEquals(0, batches("orders", reason));
    }
    assertEquals(0, registry.get("converge.batch.size").summary().count());
    assertEquals(0, registry.get("converge.batch.fill").timer().count());
    assertEquals(0, registry.get("converge.batch.wait").timer().count());
    assertEquals(0, registry.get("converge.batch.held").gauge().value());
  }

  @Test
  void recordsEachReportInEveryMeter() {
    MicrometerBatchMetrics metrics = MicrometerBatchMetrics.create(registry, "orders");

    metrics.onBatch(new BatchReport(0, 256, Batch.Reason.SIZE, 3_000_000, 0, 300));
    metrics.onBatch(new BatchReport(1, 40, Batch.Reason.TIME, 10_000_000, 2_000_000, 60));
    metrics.onBatch(new BatchReport(2, 20, Batch.Reason.TIME, 10_000_000, 4_000_000, 0));
    metrics.onBatch(new BatchReport(3, 7, Batch.Reason.END, 1_000_000, 0, 0));

    assertEquals(1, batches("orders", "size"));
    assertEquals(2, batches("orders", "time"));
    assertEquals(1, batches("orders", "end"));
    DistributionSummary size = registry.get("converge.batch.size").summary();
    assertEquals(4, size.count());
    assertEquals(256 + 40 + 20 + 7, size.totalAmount());
    assertEquals(256, size.max());
    assertEquals("items", size.getId().getBaseUnit());
    Timer fill = registry.get("converge.batch.fill").timer();
    assertEquals(4, fill.count());
    assertEquals(24_000_000, fill.totalTime(TimeUnit.NANOSECONDS));
    assertEquals(10_000_000, fill.max(TimeUnit.NANOSECONDS));
    Timer wait = registry.get("converge.batch.wait").timer();
    assertEquals(4, wait.count());
    assertEquals(6_000_000, wait.totalTime(TimeUnit.NANOSECONDS));
    assertEquals(0, registry.get("converge.batch.held").gauge().value());
  }

  @Test
  void theHeldGaugeShowsTheLastReport() {
    MicrometerBatchMetrics metrics = MicrometerBatchMetrics.create(registry, "orders");

    metrics.onBatch(new BatchReport(0, 10, Batch.Reason.SIZE, 0, 0, 25));
    assertEquals(25, registry.get("converge.batch.held").gauge().value());
    metrics.onBatch(new BatchReport(1, 10, Batch.Reason.SIZE, 0, 0, 5));
    assertEquals(5, registry.get("converge.batch.held").gauge().value());
  }

  @Test
  void tagsEveryMeterWithTheNameAndTheApplicationsTags() {
    MicrometerBatchMetrics.create(
        registry, "orders", Tags.of("region", "eu", MicrometerBatchMetrics.NAME_TAG, "replaced"));

    assertEquals(
        7, registry.getMeters().size(), "3 counters by reason, a summary, 2 timers, a gauge");
    for (Meter meter : registry.getMeters()) {
      assertEquals("orders", meter.getId().getTag("name"), meter.getId().toString());
      assertEquals("eu", meter.getId().getTag("region"), meter.getId().toString());
    }
  }

  @Test
  void iteratorsWithDifferentNamesHaveTheirOwnMeters() {
    MicrometerBatchMetrics orders = MicrometerBatchMetrics.create(registry, "orders");
    MicrometerBatchMetrics payments = MicrometerBatchMetrics.create(registry, "payments");

    orders.onBatch(new BatchReport(0, 3, Batch.Reason.SIZE, 0, 0, 9));
    payments.onBatch(new BatchReport(0, 2, Batch.Reason.TIME, 0, 0, 4));
    payments.onBatch(new BatchReport(1, 2, Batch.Reason.TIME, 0, 0, 4));

    assertEquals(1, batches("orders", "size"));
    assertEquals(0, batches("orders", "time"));
    assertEquals(2, batches("payments", "time"));
    assertEquals(9, registry.get("converge.batch.held").tag("name", "orders").gauge().value());
    assertEquals(4, registry.get("converge.batch.held").tag("name", "payments").gauge().value());
    assertNull(registry.find("converge.batches").tag("name", "other").counter());
  }

  @Test
  void describesItsMeters() {
    MicrometerBatchMetrics.create(registry, "orders");

    for (Meter meter : registry.getMeters()) {
      assertNotNull(meter.getId().getDescription(), meter.getId().toString());
    }
  }

  private double batches(String name, String reason) {
    return registry
        .get("converge.batches")
        .tag("name", name)
        .tag("reason", reason)
        .counter()
        .count();
  }
}
