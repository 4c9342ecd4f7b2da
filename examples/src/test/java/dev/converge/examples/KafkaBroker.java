package dev.converge.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-process Kafka node (broker and controller combined, KRaft), started with Kafka's own test
 * kit. A test class shares one; its tests use topics and groups of their own.
 */
final class KafkaBroker implements AutoCloseable {

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final KafkaClusterTestKit cluster;
  private final Admin admin;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.admin = cluster.admin();
  }

  /**
   * Starts the node and waits until it serves.
   *
   * @return the broker
   * @throws Exception if it cannot start
   */
  static KafkaBroker start() throws Exception {
    return start(new TestKitNodes.Builder());
  }

  /**
   * Starts the node with its data in {@code directory}, which {@link #close} deletes. Without one,
   * the test kit makes a temporary directory and deletes it in a JVM shutdown hook, which runs
   * alongside any hook that closes the broker: the closing broker then writes into a deleted
   * directory and logs stack traces.
   *
   * @param directory an empty directory for the node's data
   * @return the broker
   * @throws Exception if it cannot start
   */
  static KafkaBroker startIn(Path directory) throws Exception {
    return start(new TestKitNodes.Builder().setBaseDirectory(directory));
  }

  private static KafkaBroker start(TestKitNodes.Builder nodes) throws Exception {
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        // A member killed with kill -9 is noticed after its session timeout: allow short ones.
        .setConfigProp("group.min.session.timeout.ms", "1000")
        .setConfigProp("group.consumer.min.session.timeout.ms", "1000")
        .setConfigProp("group.consumer.session.timeout.ms", "2000")
        .setConfigProp("group.consumer.min.heartbeat.interval.ms", "250")
        .setConfigProp("group.consumer.heartbeat.interval.ms", "250")
        .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new KafkaBroker(cluster);
  }

  /**
   * Returns where clients connect.
   *
   * @return {@code host:port}
   */
  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /**
   * Returns a name no other test of the run uses.
   *
   * @param prefix what it names
   * @return the name
   */
  static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet();
  }

  /**
   * Creates a topic.
   *
   * @param topic its name
   * @param partitions how many partitions
   * @throws Exception if the broker refuses
   */
  void createTopic(String topic, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
        .get(30, TimeUnit.SECONDS);
  }

  /**
   * Returns a group's committed offsets.
   *
   * @param group the group
   * @return the committed offset per partition; partitions without a commit are absent
   * @throws Exception if the broker cannot say
   */
  Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, Long> result = new HashMap<>();
    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS)
        .forEach((partition, offset) -> {
          if (offset != null) {
            result.put(partition, offset.offset());
          }
        });
    return result;
  }

  /**
   * Returns the end offset of each partition of a topic.
   *
   * @param topic the topic
   * @param partitions how many partitions it has
   * @return the offset the next record of each partition will get
   * @throws Exception if the broker cannot say
   */
  Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, Long> result = new HashMap<>();
    ends.forEach((partition, info) -> result.put(partition, info.offset()));
    return result;
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
