package dev.converge.examples;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.batch.BatchSource;
import dev.converge.batch.Scheduler;
import dev.converge.kafka.KafkaBatchSource;
import dev.converge.kafka.KafkaBatchSourceBuilder;
import dev.converge.kafka.KafkaSourceMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
 *   → forEach(concurrency): up to --concurrency batches at once, each:
 *     enrich, idempotent insert, DB commit → source.commit(batch) (Kafka offsets)
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
  private final RunMeters meters;

  /**
   * Creates the Kafka source of a run that ends after {@code --duration}.
   *
   * @param options the topic, group, brokers and batching
   * @param out where progress lines and the report go
   */
  KafkaOrders(ServiceOptions options, PrintStream out) {
    this(options, out, new CompletableFuture<>(), RunMeters.NONE);
  }

  /**
   * Creates the Kafka source of a run that also ends when {@code stop} completes (tests end a run
   * once every order is stored, rather than waiting out a duration).
   *
   * @param options the topic, group, brokers and batching
   * @param out where progress lines and the report go
   * @param stop completing it ends the run as the end of {@code --duration} does
   * @param meters where the source and the iterator report (the topic names them)
   */
  KafkaOrders(
      ServiceOptions options, PrintStream out, CompletableFuture<Void> stop, RunMeters meters) {
    this.options = options;
    this.out = out;
    this.stop = stop;
    this.meters = meters;
  }

  /**
   * Consumes orders until the duration has passed, then closes cleanly and prints the report.
   *
   * <p>Long because it is the run's lifecycle in one place: the source, the optional sink and the
   * iterator are made in order and closed in the reverse order in one {@code finally}; split up,
   * that order would be spread over several methods.
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
    KafkaConsumer<String, OrderMessage> consumer;
    try {
      consumer = consumer();
    } catch (KafkaException e) {
      throw new ServiceFailure(
          "cannot create a Kafka consumer for " + options.bootstrapServers(), e);
    }
    RunMeters.KafkaMeters kafkaMeters = meters.kafkaSource(options.topic(), consumer);
    AtomicReference<Throwable> commitFailure = new AtomicReference<>();
    KafkaBatchSourceBuilder<String, OrderMessage> builder =
        KafkaBatchSource.builder(consumer)
            .topics(options.topic())
            .metrics(brokerOutageWatch(kafkaMeters.source(), metrics, commitFailure));
    DeadLetterRouting.configure(builder, options);
    KafkaBatchSource<String, OrderMessage> source = builder.build();
    // The sink starts its transactions before the source's first poll, as it must.
    KafkaResultSink sink;
    try {
      sink =
          options.sink() == SinkOptions.Sink.KAFKA
              ? KafkaResultSink.start(source, options, out)
              : null;
    } catch (ServiceFailure e) {
      source.close();
      kafkaMeters.close();
      throw e;
    }
    // The iterator reads the source through a view it cannot close: ending the hand-out at the
    // deadline closes the iterator, while the batches in flight still have to mark their records
    // on an open source (or send them to the sink). The source itself is closed last, which
    // commits them.
    BatchSource<ConsumerRecord<String, OrderMessage>> unclosable = source::poll;
    BatchIterator<ConsumerRecord<String, OrderMessage>> batches =
        BatchIterator.builder(unclosable)
            .maxSize(options.maxSize())
            .maxWait(options.maxWait())
            .prefetch(options.prefetch())
            .metrics(meters.batches(options.topic()))
            .build();
    AtomicReference<Throwable> batchFailure = new AtomicReference<>();
    long start = System.nanoTime();
    ProgressPrinter progress = new ProgressPrinter(out, metrics, start);
    try {
      CompletableFuture<Void> loop =
          batches.forEach(
              options.concurrency(),
              batch ->
                  process(batch, enricher, metrics, source, sink, batchFailure, commitFailure));
      awaitEnd(loop, commitFailure, start + options.duration().toNanos());
      // Closing the iterator hands out no further batch; the loop then waits for those in flight.
      batches.close();
      loop.get();
    } catch (ExecutionException e) {
      if (batchFailure.get() instanceof ServiceFailure failure) {
        throw failure; // already says what went wrong, e.g. a rejected order without a topic
      }
      if (batchFailure.get() != null) {
        throw new ServiceFailure("a batch could not be committed", batchFailure.get());
      }
      throw new ServiceFailure(
          "the order stream from topic " + options.topic() + " failed", e.getCause());
    } finally {
      progress.close();
      if (sink != null) {
        sink.close();
      }
      batches.close();
      if (sink != null) {
        sink.close(); // waits for the transactions already sent
      }
      // Commits every batch stored so far (without a sink) and leaves the group.
      source.close();
      kafkaMeters.close();
    }
    if (commitFailure.get() != null) {
      throw new ServiceFailure(
          "stored orders could not be committed to Kafka", commitFailure.get());
    }
    long elapsed = metrics.lastCommitNanos(System.nanoTime()) - start;
    ServiceMetrics.Snapshot totals = metrics.snapshot();
    Report.printFinal(out, "orders consumed", totals, elapsed);
    return totals;
  }

  /**
   * Stores one batch, then marks its records processed on the source. Up to {@code --concurrency}
   * batches run this at once and may finish in any order: the source commits a partition's offset
   * only up to the first record not yet marked, so a batch still being written holds back the
   * commit of those after it (at-least-once), and the idempotent insert makes a redelivery harmless.
   */
  private static CompletionStage<Void> process(
      Batch<ConsumerRecord<String, OrderMessage>> batch,
      BatchEnricher enricher,
      ServiceMetrics metrics,
      KafkaBatchSource<String, OrderMessage> source,
      KafkaResultSink sink,
      AtomicReference<Throwable> batchFailure,
      AtomicReference<Throwable> commitFailure) {
    List<Order> orders = orders(batch.items());
    metrics.ordersReceived(orders.size());
    if (sink != null) {
      // Results and offsets in one transaction; the sink commits them in delivery order.
      return sink.send(enricher, batch, orders)
          .whenComplete(
              (done, error) -> {
                if (error != null) {
                  batchFailure.compareAndSet(
                      null,
                      error instanceof CompletionException && error.getCause() != null
                          ? error.getCause()
                          : error);
                }
              });
    }
    return enricher
        .process(orders)
        .handle(
            (stored, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                batchFailure.compareAndSet(null, cause);
                throw new CompletionException(cause);
              }
              // Stored: now, and only now, may Kafka move past these records. The commit is not
              // waited
              // for; a later batch's commit covers it too, and closing the source commits what is
              // left.
              source
                  .commit(batch)
                  .whenComplete(
                      (done, commitError) -> {
                        if (commitError != null) {
                          commitFailure.compareAndSet(null, commitError);
                        }
                      });
              return null;
            });
  }

  /**
   * Waits until the run should end: the loop ended (the stream failed, or a batch could not be
   * stored), the run was stopped, a Kafka commit failed, or the deadline passed.
   */
  private void awaitEnd(
      CompletableFuture<Void> loop, AtomicReference<Throwable> commitFailure, long deadline)
      throws InterruptedException {
    CompletableFuture<Object> end = CompletableFuture.anyOf(loop, stop);
    // A failed commit is looked for between waits of at most this long.
    long step = TimeUnit.MILLISECONDS.toNanos(100);
    while (!end.isDone() && commitFailure.get() == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        end.get(Math.min(left, step), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // Look again.
      } catch (ExecutionException e) {
        return; // The loop failed; the caller reports it.
      }
    }
  }

  /**
   * Reports the Kafka cluster's outages, as the commits see them, and ends the run through {@code
   * commitFailure} once one lasts longer than {@code --give-up-after}.
   */
  private KafkaSourceMetrics brokerOutageWatch(
      KafkaSourceMetrics meters, ServiceMetrics metrics, AtomicReference<Throwable> commitFailure) {
    OutageReporter outage =
        new OutageReporter(
            "the Kafka cluster at " + options.bootstrapServers(),
            options.giveUpAfter(),
            Scheduler.system(),
            out,
            metrics);
    return new BrokerOutageWatch(
        meters, outage, tooLong -> commitFailure.compareAndSet(null, tooLong));
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
