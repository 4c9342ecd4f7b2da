package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery and commit on a real broker: every record once, in offset order per partition. */
class DeliveryBrokerTest {

  private static Broker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = Broker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void everyRecordIsDeliveredOnceInOffsetOrderPerPartitionAndCommitted() throws Exception {
    int partitions = 3;
    int count = 3000;
    String topic = broker.createTopic("orders", partitions);
    String group = Broker.unique("group");
    broker.produce(topic, partitions, 0, count);

    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, "consumer"))).topics(topic).build();
    Map<Integer, List<Long>> offsets = new HashMap<>();
    List<String> values = new ArrayList<>();
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(source).maxSize(200).maxWait(Duration.ofMillis(5)).build();
    try {
      while (values.size() < count) {
        Optional<Batch<ConsumerRecord<String, String>>> next = batches.next().get(60, TimeUnit.SECONDS);
        Batch<ConsumerRecord<String, String>> batch = next.orElseThrow();
        for (ConsumerRecord<String, String> record : batch.items()) {
          offsets.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
          values.add(record.value());
        }
        source.commit(batch).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      batches.close();
    }
    assertEquals(count, values.size());
    assertEquals(count, values.stream().distinct().count(), "no record twice");
    for (List<Long> partitionOffsets : offsets.values()) {
      for (int i = 0; i < partitionOffsets.size(); i++) {
        assertEquals((long) i, partitionOffsets.get(i), "offset order, nothing skipped");
      }
    }
    Map<TopicPartition, Long> committed = broker.committed(group);
    assertEquals(broker.endOffsets(topic, partitions), committed);
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains(topic)));
  }
}
