package dev.converge.examples;

import dev.converge.batch.Batch;
import dev.converge.kafka.KafkaBatchSink;
import dev.converge.kafka.KafkaBatchSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code --sink kafka}: each batch's enriched orders go to {@code --output-topic} (key: the order
 * id in decimal; value: {@link EnrichedOrderJson}), and its rejected orders to {@code
 * --dead-letter-topic}, in one transaction with the batch's consumed offsets, through {@link
 * KafkaBatchSink}. A consumer of the output topic reading with {@code isolation.level=
 * read_committed} sees each order id once, whatever the redeliveries and crashes.
 *
 * <p>Batches are sent one at a time, in the order the source delivered them, as the sink requires.
 */
final class KafkaResultSink implements AutoCloseable {

  /** How long a transaction may stay open before the broker aborts it (Kafka's default: 60 s). */
  static final int TRANSACTION_TIMEOUT_MS = 10_000;

  private final KafkaBatchSink<String, String> sink;
  private final String outputTopic;
  private final String deadLetterTopic;

  private KafkaResultSink(
      KafkaBatchSink<String, String> sink, String outputTopic, String deadLetterTopic) {
    this.sink = sink;
    this.outputTopic = outputTopic;
    this.deadLetterTopic = deadLetterTopic;
  }

  /**
   * Builds the sink on a source not polled yet: creates the transactional producer and calls
   * {@code initTransactions}, which fences any earlier producer with the same id.
   *
   * @param source the source whose batches are sent
   * @param options the topics, the brokers and the transactional id
   * @param out where the transactional id is printed
   * @return the sink
   * @throws ServiceFailure if the producer cannot be created or its transactions started
   */
  static KafkaResultSink start(
      KafkaBatchSource<String, OrderMessage> source, ServiceOptions options, PrintStream out)
      throws ServiceFailure {
    String transactionalId =
        options.transactionalId() != null
            ? options.transactionalId()
            : options.group() + "-" + UUID.randomUUID().toString().substring(0, 8);
    out.println(
        "results to topic "
            + options.outputTopic()
            + ", exactly once, as transactional.id "
            + transactionalId);
    Map<String, Object> config = KafkaClients.shared(options);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    // A member killed mid-transaction leaves it open until the broker aborts it at this timeout;
    // meanwhile read_committed readers of its partitions, and the new owner's offset fetch, wait.
    // A transaction here spans one send and commit (enrichment happens before it): seconds suffice.
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    try {
      KafkaProducer<String, String> producer =
          new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
      try {
        return new KafkaResultSink(
            KafkaBatchSink.builder(source, producer).build(),
            options.outputTopic(),
            options.deadLetterTopic());
      } catch (RuntimeException e) {
        producer.close();
        throw e;
      }
    } catch (KafkaException e) {
      throw new ServiceFailure(
          "cannot start a transactional producer for topic "
              + options.outputTopic()
              + " at "
              + options.bootstrapServers(),
          e);
    }
  }

  /**
   * Enriches a batch and commits its results and offsets in one transaction.
   *
   * @param enricher enriches the orders (and counts the batch once committed)
   * @param batch the batch as the source delivered it
   * @param orders its orders, one per record, in the same order
   * @return a stage that completes when the batch's transaction has committed; it fails with a
   *     {@link ServiceFailure} if the batch could not be enriched or its transaction failed, or an
   *     order was rejected and there is no dead-letter topic
   */
  CompletionStage<Void> send(
      BatchEnricher enricher,
      Batch<ConsumerRecord<String, OrderMessage>> batch,
      List<Order> orders) {
    return enricher
        .enrich(orders)
        .handle(
            (enriched, error) -> {
              if (error != null) {
                throw new CompletionException(
                    new ServiceFailure("a batch could not be enriched", unwrap(error)));
              }
              return enriched;
            })
        .thenCompose(
            enriched -> {
              List<ProducerRecord<String, String>> results;
              try {
                results = results(batch.items(), enriched);
              } catch (ServiceFailure e) {
                throw new CompletionException(e);
              }
              return sink.send(batch, results)
                  .handle(
                      (done, error) -> {
                        if (error != null) {
                          throw new CompletionException(
                              new ServiceFailure(
                                  "a batch's transaction to topic " + outputTopic + " failed",
                                  unwrap(error)));
                        }
                        enricher.committedElsewhere(enriched);
                        return null;
                      });
            });
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private List<ProducerRecord<String, String>> results(
      List<ConsumerRecord<String, OrderMessage>> records, EnrichedBatch enriched)
      throws ServiceFailure {
    List<ProducerRecord<String, String>> results = new ArrayList<>(records.size());
    for (EnrichedOrder order : enriched.enriched()) {
      results.add(
          new ProducerRecord<>(
              outputTopic, Long.toString(order.order().id()), EnrichedOrderJson.write(order)));
    }
    if (enriched.rejected().isEmpty()) {
      return results;
    }
    if (deadLetterTopic == null) {
      // Nothing of this batch is committed: the run stops, as with the database sink.
      throw new ServiceFailure(
          "an order was rejected and there is no --dead-letter-topic",
          new IllegalStateException(enriched.rejected().get(0).reason()));
    }
    // Orders are records of the same batch, by position; identity, since ids may repeat.
    Map<Order, ConsumerRecord<String, OrderMessage>> recordOf = new IdentityHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      recordOf.put(enriched.orders().get(i), records.get(i));
    }
    for (EnrichedBatch.Rejected rejected : enriched.rejected()) {
      results.add(
          DeadLetterRouting.rejected(
              deadLetterTopic, recordOf.get(rejected.order()), rejected.reason()));
    }
    return results;
  }

  /** Waits for the transaction under way, if any, and closes the producer. */
  @Override
  public void close() {
    sink.close();
  }
}
