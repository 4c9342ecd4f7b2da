package dev.converge.micrometer;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchMetrics;
import dev.converge.batch.BatchReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BatchMetrics} that records every batch an iterator hands over in a Micrometer {@link
 * MeterRegistry}.
 *
 * <pre>{@code
 * BatchIterator<Order> batches = BatchIterator.builder(source)
 *     .metrics(MicrometerBatchMetrics.create(registry, "orders"))
 *     .build();
 * }</pre>
 *
 * <p>The meters, each tagged {@code name} with the given name and with the given tags:
 *
 * <table>
 *   <caption>Batch meters</caption>
 *   <tr><th>meter</th><th>type</th><th>what it measures</th></tr>
 *   <tr><td>{@code converge.batches}</td><td>counter, tag {@code reason}: {@code size}, {@code
 *       time}, {@code end}</td><td>batches handed over, by why they were emitted</td></tr>
 *   <tr><td>{@code converge.batch.size}</td><td>distribution summary, base unit
 *       {@code items}</td><td>items per batch</td></tr>
 *   <tr><td>{@code converge.batch.fill}</td><td>timer</td><td>from a batch's first item to its
 *       completion: about {@code maxWait} for batches complete by time</td></tr>
 *   <tr><td>{@code converge.batch.wait}</td><td>timer</td><td>from a batch's completion to its
 *       hand-over: how long complete batches wait for the consumer</td></tr>
 *   <tr><td>{@code converge.batch.held}</td><td>gauge, base unit {@code items}</td><td>items the
 *       iterator held at the last hand-over (ready batches and the batch being
 *       assembled)</td></tr>
 * </table>
 *
 * <p>Meters are registered when this object is created, so they are there (at zero) before the
 * first batch. Give each iterator its own name: counters and timers of iterators that share one add
 * up, but the gauge follows only the first of them. Thread-safe, as {@link BatchMetrics} requires;
 * recording a batch costs five meter updates.
 */
public final class MicrometerBatchMetrics implements BatchMetrics {

  /** The tag every meter carries: the name the application gives the iterator. */
  public static final String NAME_TAG = "name";

  private final EnumMap<Batch.Reason, Counter> batches = new EnumMap<>(Batch.Reason.class);
  private final DistributionSummary size;
  private final Timer fill;
  private final Timer wait;
  private final AtomicLong held = new AtomicLong();

  private MicrometerBatchMetrics(MeterRegistry registry, Tags tags) {
    for (Batch.Reason reason : Batch.Reason.values()) {
      batches.put(
          reason,
          Counter.builder("converge.batches")
              .description("Batches handed to the consumer, by why they were emitted")
              .tags(tags)
              .tag("reason", reason.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    size =
        DistributionSummary.builder("converge.batch.size")
            .description("Items per batch")
            .baseUnit("items")
            .tags(tags)
            .register(registry);
    fill =
        Timer.builder("converge.batch.fill")
            .description("Time from a batch's first item to its completion by size, time or end")
            .tags(tags)
            .register(registry);
    wait =
        Timer.builder("converge.batch.wait")
            .description("Time a complete batch waited for the consumer to take it")
            .tags(tags)
            .register(registry);
    Gauge.builder("converge.batch.held", held, AtomicLong::get)
        .description(
            "Items the iterator held at the last hand-over: ready batches and the batch"
                + " being assembled")
        .baseUnit("items")
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  /**
   * Registers the batch meters for an iterator named {@code name}.
   *
   * @param registry where the meters go
   * @param name the value of every meter's {@code name} tag, for example the stream's name
   * @return the metrics to pass to {@code BatchIterator.Builder.metrics}
   * @throws NullPointerException if an argument is null
   */
  public static MicrometerBatchMetrics create(MeterRegistry registry, String name) {
    return create(registry, name, Tags.empty());
  }

  /**
   * Registers the batch meters for an iterator named {@code name}, with more tags of the
   * application's own.
   *
   * @param registry where the meters go
   * @param name the value of every meter's {@code name} tag, for example the stream's name
   * @param tags added to every meter (a tag {@code name} among them is replaced by {@code name})
   * @return the metrics to pass to {@code BatchIterator.Builder.metrics}
   * @throws NullPointerException if an argument is null
   */
  public static MicrometerBatchMetrics create(
      MeterRegistry registry, String name, Iterable<Tag> tags) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tags, "tags");
    return new MicrometerBatchMetrics(registry, Tags.of(tags).and(NAME_TAG, name));
  }

  @Override
  public void onBatch(BatchReport report) {
    batches.get(report.reason()).increment();
    size.record(report.size());
    fill.record(report.fillNanos(), TimeUnit.NANOSECONDS);
    wait.record(report.waitNanos(), TimeUnit.NANOSECONDS);
    held.set(report.heldItems());
  }
}
