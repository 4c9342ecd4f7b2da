package dev.converge.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.fixtures.kafka.KafkaBroker;
import dev.converge.kafka.KafkaBatchSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka meters against a real broker (one in-process KRaft node for the class): a source and
 * an iterator read a topic, reporting to the registry, while the consumer's own metrics are bound
 * to it too.
 */
class KafkaSourceMetersBrokerTest {

  private static final int RECORDS = 300;
  private static final int PARTITIONS = 3;

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void theSourcesMetersAndTheConsumersOwnAreRecordedWhileTheSourceReads() throws Exception {
    String topic = broker.createTopic("client-metrics", PARTITIONS);
    broker.produce(topic, PARTITIONS, 0, RECORDS);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerKafkaSourceMetrics metrics = MicrometerKafkaSourceMetrics.create(registry, topic);
    KafkaConsumer<String, String> consumer =
        broker.consumer(broker.consumerConfig(KafkaBroker.unique("group"), "consumer"));

    List<String> values = new ArrayList<>();
    try (KafkaClientMetrics clientMetrics = metrics.bindClientMetrics(consumer)) {
      KafkaBatchSource<String, String> source =
          KafkaBatchSource.builder(consumer).topics(topic).metrics(metrics).build();
      BatchIterator<ConsumerRecord<String, String>> batches =
          BatchIterator.builder(source).maxSize(100).build();
      try {
        while (values.size() < RECORDS) {
          Optional<Batch<ConsumerRecord<String, String>>> batch = batches.next().get();
          values.addAll(KafkaBroker.values(batch.orElseThrow().items()));
          source.commit(batch.get()).toCompletableFuture().get();
        }
      } finally {
        batches.close(); // closes the source, whose thread has made its last report when it returns
      }

      Timer acknowledged =
          registry
              .get("converge.kafka.commit")
              .tags("name", topic, "outcome", "acknowledged", "exception", "none")
              .timer();
      assertTrue(acknowledged.count() >= 1, "commits acknowledged: " + acknowledged.count());
      assertTrue(acknowledged.totalTime(TimeUnit.NANOSECONDS) > 0);
      assertTrue(
          registry
                  .get("converge.kafka.rebalances")
                  .tags("name", topic, "kind", "assigned")
                  .counter()
                  .count()
              >= 1,
          "the partitions were assigned");
      assertEquals(
          PARTITIONS,
          registry
              .get("converge.kafka.rebalance.partitions")
              .tags("kind", "assigned")
              .counter()
              .count(),
          "one member: every partition assigned to it once");

      FunctionCounter consumed =
          registry
              .get("kafka.consumer.fetch.manager.records.consumed.total")
              .tag("name", topic)
              .functionCounter();
      assertTrue(consumed.count() >= RECORDS, "records consumed: " + consumed.count());
      List<Meter> kafkaMeters = new ArrayList<>();
      for (Meter meter : registry.getMeters()) {
        if (meter.getId().getName().startsWith("kafka.consumer.")) {
          kafkaMeters.add(meter);
          assertEquals(topic, meter.getId().getTag("name"), meter.getId().toString());
        }
      }
      assertTrue(kafkaMeters.size() > 20, "the consumer's metrics: " + kafkaMeters.size());
    }
    assertEquals(RECORDS, values.size());
  }
}
