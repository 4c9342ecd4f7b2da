package dev.converge.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-process KRaft node (broker and controller combined), started with Kafka's own test kit.
 * A test class starts one in {@code @BeforeAll} and closes it in {@code @AfterAll}; every test uses
 * its own topics and groups, so tests of a class share the broker without seeing each other.
 */
final class Broker implements AutoCloseable {

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final KafkaClusterTestKit cluster;
  private final Admin admin;

  private Broker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.admin = cluster.admin();
  }

  static Broker start() throws Exception {
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            // Small consumer-protocol timeouts, so a member that leaves is noticed quickly.
            .setConfigProp("group.consumer.heartbeat.interval.ms", "500")
            .setConfigProp("group.consumer.min.heartbeat.interval.ms", "500")
            .setConfigProp("group.consumer.session.timeout.ms", "6000")
            .setConfigProp("group.consumer.min.session.timeout.ms", "6000")
            .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new Broker(cluster);
  }

  Admin admin() {
    return admin;
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** A name no other test of the run uses. */
  static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet();
  }

  /** Creates a topic and waits until every partition has a leader, so writes to it succeed. */
  String createTopic(String prefix, int partitions) throws Exception {
    String topic = unique(prefix);
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    Await.until("leaders for " + topic, () -> {
      try {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
            .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
      } catch (Exception e) {
        return false;
      }
    });
    return topic;
  }

  /**
   * Writes {@code count} records round-robin over the partitions; key and value are the index.
   * Returns once every write is acknowledged (and fails if one was not).
   */
  void produce(String topic, int partitions, int from, int count) throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>(count);
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = from; i < from + count; i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, Integer.toString(i), Integer.toString(i))));
      }
      producer.flush();
      for (Future<RecordMetadata> write : sent) {
        write.get(60, TimeUnit.SECONDS);
      }
    }
  }

  KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // A topic just created may answer NOT_LEADER_OR_FOLLOWER for a moment; an idempotent producer's
    // retry of its first batch can then be refused with OUT_OF_ORDER_SEQUENCE_NUMBER until it gives
    // up. One request in flight keeps order without idempotence, and a refused write is not stored,
    // so its retry does not duplicate it.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    return new KafkaProducer<>(props);
  }

  /** Consumer settings for a group member: no auto commit, read from the start, quick rebalances. */
  Map<String, Object> consumerConfig(String group, String protocol) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    if (protocol.equals("classic")) {
      props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
      props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
    }
    return props;
  }

  KafkaConsumer<String, String> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /** The group's committed offset per partition (partitions without a commit are absent). */
  Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, Long> result = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    offsets.forEach((tp, om) -> {
      if (om != null) {
        result.put(tp, om.offset());
      }
    });
    return result;
  }

  /** The end offset of each partition of {@code topic}. */
  Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> result = new HashMap<>();
    admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> result.put(tp, info.offset()));
    return result;
  }

  /** The members of {@code group} as the coordinator sees them (0 for a group it does not know). */
  int members(String group) {
    try {
      return admin.describeConsumerGroups(Set.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0;
      }
      throw new IllegalStateException(e);
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> values(Collection<? extends org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records) {
    List<String> values = new ArrayList<>();
    records.forEach(r -> values.add(r.value()));
    return values;
  }

  @Override
  public void close() {
    admin.close();
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("the broker did not stop cleanly", e);
    }
  }
}
