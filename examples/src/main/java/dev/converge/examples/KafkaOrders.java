package dev.converge.examples;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.kafka.KafkaBatchSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka source of the service: orders read from a topic as a member of a consumer group,
 * through {@link KafkaBatchSource} and a {@link BatchIterator}, each batch committed to Kafka only
 * after its database transaction has committed.
 *
 * <pre>
 * KafkaConsumer → KafkaBatchSource → BatchIterator (maxSize, maxWait, prefetch)
 *   → per batch: enrich, idempotent insert, DB commit → source.commit(batch) (Kafka offsets)
 * </pre>
 *
 * <p>At-least-once delivery plus idempotent writes: a batch stored and not yet committed to Kafka
 * when its member dies (or loses its partitions) is read again by the next owner, whose insert skips
 * the orders already stored. So {@code enriched_orders} holds each order id once, whatever the
 * redeliveries, restarts and members.
 *
 * <p>With {@code --sink kafka} the enriched orders go to a topic instead, through {@link
 * KafkaResultSink}: each batch's results and offsets in one Kafka transaction, exactly once. With
 * {@code --dead-letter-topic}, records that are not orders go there ({@link DeadLetterRouting}).
 *
 * <p>Consumption ends after {@code --duration} (or when {@link #consume} is told to stop): the
 * iterator and the source are closed, which commits every batch stored so far and leaves the group;
 * batches prefetched and not processed were never committed, and the group reads them again.
 */
final class KafkaOrders {

  private final ServiceOptions options;
  private final PrintStream out;
  private final CompletableFuture<Void> stop;

  /**
   * Creates the Kafka source of a run that ends after {@code --duration}.
   *
   * @param options the topic, group, brokers and batching
   * @param out where progress lines and the report go
   */
  KafkaOrders(ServiceOptions options, PrintStream out) {
    this(options, out, new CompletableFuture<>());
  }

  /**
   * Creates the Kafka source of a run that also ends when {@code stop} completes (tests end a run
   * once every order is stored, rather than waiting out a duration).
   *
   * @param options the topic, group, brokers and batching
   * @param out where progress lines and the report go
   * @param stop completing it ends the run as the end of {@code --duration} does
   */
  KafkaOrders(ServiceOptions options, PrintStream out, CompletableFuture<Void> stop) {
    this.options = options;
    this.out = out;
    this.stop = stop;
  }

  /**
   * Consumes orders until the duration has passed, then closes cleanly and prints the report.
   *
   * @param enricher enriches and stores a batch
   * @param metrics what is counted
   * @return the final counts
   * @throws ServiceFailure if Kafka cannot be reached, a record is not an order, a batch cannot be
   *     stored, or stored orders cannot be committed to Kafka
   * @throws InterruptedException if interrupted while consuming
   */
  ServiceMetrics.Snapshot consume(BatchEnricher enricher, ServiceMetrics metrics)
      throws ServiceFailure, InterruptedException {
    KafkaBatchSource<String, OrderMessage> source;
    try {
      KafkaBatchSource.Builder<String, OrderMessage> builder =
          KafkaBatchSource.builder(consumer()).topics(options.topic());
      DeadLetterRouting.configure(builder, options);
      source = builder.build();
    } catch (KafkaException e) {
      throw new ServiceFailure("cannot create a Kafka consumer for " + options.bootstrapServers(), e);
    }
    // The sink starts its transactions before the source's first poll, as it must.
    KafkaResultSink sink = null;
    try {
      if (options.sink() == SinkOptions.Sink.KAFKA) {
        sink = KafkaResultSink.start(source, options, out);
      }
    } catch (ServiceFailure e) {
      source.close();
      throw e;
    }
    BatchIterator<ConsumerRecord<String, OrderMessage>> batches = BatchIterator.builder(source)
        .maxSize(options.maxSize())
        .maxWait(options.maxWait())
        .prefetch(options.prefetch())
        .build();
    AtomicReference<Throwable> commitFailure = new AtomicReference<>();
    long start = System.nanoTime();
    long deadline = start + options.duration().toNanos();
    ProgressPrinter progress = new ProgressPrinter(out, metrics, start);
    try {
      // The deadline is checked before each batch: prefetched batches are ready at once, so
      // waiting for the next one alone would not end the run while Kafka keeps up.
      while (!stop.isDone() && commitFailure.get() == null && System.nanoTime() - deadline < 0) {
        Optional<Batch<ConsumerRecord<String, OrderMessage>>> next = next(batches, deadline);
        if (next.isEmpty()) {
          break;
        }
        Batch<ConsumerRecord<String, OrderMessage>> batch = next.get();
        List<Order> orders = orders(batch.items());
        metrics.ordersReceived(orders.size());
        if (sink != null) {
          sink.process(enricher, batch, orders);
          continue;
        }
        try {
          enricher.process(orders).toCompletableFuture().get();
        } catch (ExecutionException e) {
          throw new ServiceFailure("a batch could not be committed", e.getCause());
        }
        // Stored: now, and only now, may Kafka move past these records. The commit is not waited
        // for; a later batch's commit covers it too, and close() commits whatever is left.
        source.commit(batch).whenComplete((done, error) -> {
          if (error != null) {
            commitFailure.compareAndSet(null, error);
          }
        });
      }
    } finally {
      progress.close();
      if (sink != null) {
        sink.close();
      }
      batches.close();
    }
    if (commitFailure.get() != null) {
      throw new ServiceFailure("stored orders could not be committed to Kafka", commitFailure.get());
    }
    long elapsed = metrics.lastCommitNanos(System.nanoTime()) - start;
    ServiceMetrics.Snapshot totals = metrics.snapshot();
    Report.printFinal(out, "orders consumed", totals, elapsed);
    return totals;
  }

  /** The next batch, or empty once the deadline has passed, the run is stopped or the stream ended. */
  private Optional<Batch<ConsumerRecord<String, OrderMessage>>> next(
      BatchIterator<ConsumerRecord<String, OrderMessage>> batches, long deadline)
      throws ServiceFailure, InterruptedException {
    CompletableFuture<Optional<Batch<ConsumerRecord<String, OrderMessage>>>> next = batches.next();
    try {
      long left = deadline - System.nanoTime();
      CompletableFuture.anyOf(next, stop).get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // The deadline (or the stop signal) came first, or next failed: both handled below.
    }
    if (!next.isDone() && next.cancel(false)) {
      // Withdrawn before a batch was assigned to it: nothing was delivered, nothing is lost.
      return Optional.empty();
    }
    try {
      // Done, or a batch was assigned at the last moment: it is processed like any other.
      return next.get();
    } catch (ExecutionException e) {
      throw new ServiceFailure("the order stream from topic " + options.topic() + " failed",
          e.getCause());
    }
  }

  /**
   * Turns records into orders. An order's arrival is its record's timestamp: latency counts from
   * when the order was written (or, for a stream written by {@link OrderTopicWriter}, was due).
   */
  private static List<Order> orders(List<ConsumerRecord<String, OrderMessage>> records) {
    long nowNanos = System.nanoTime();
    long nowMillis = System.currentTimeMillis();
    List<Order> orders = new ArrayList<>(records.size());
    for (ConsumerRecord<String, OrderMessage> record : records) {
      long ageNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, nowMillis - record.timestamp()));
      orders.add(record.value().toOrder(nowNanos - ageNanos));
    }
    return orders;
  }

  private KafkaConsumer<String, OrderMessage> consumer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group starts at the beginning of the topic: every order written is processed.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // One consumer.poll's worth is what the source holds beyond the iterator: one batch at most.
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.maxSize());
    config.putAll(options.kafkaProperties());
    return new KafkaConsumer<>(config, new StringDeserializer(), new OrderJson.Reader());
  }
}
