package dev.converge.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A topic of orders on any broker, through an admin client the caller owns: writing an exact number
 * of the seeded orders, and reading the group's progress on it. For brokers that are not the test
 * kit's {@code KafkaBroker} (which has these built in), such as {@code RestartableKafkaBroker}.
 *
 * @param admin the admin client of the broker
 * @param bootstrapServers where producers connect
 * @param name the topic
 * @param partitions how many partitions it has
 */
record OrderTopic(Admin admin, String bootstrapServers, String name, int partitions) {

  private static final long WAIT_SECONDS = 60;

  /**
   * Creates the topic.
   *
   * @param admin the admin client of the broker
   * @param bootstrapServers where producers connect
   * @param name the topic
   * @param partitions how many partitions it gets
   * @return the topic
   * @throws Exception if the broker does not create it within 60 s
   */
  static OrderTopic create(Admin admin, String bootstrapServers, String name, int partitions)
      throws Exception {
    admin
        .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
        .all()
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    return new OrderTopic(admin, bootstrapServers, name, partitions);
  }

  /**
   * Writes orders 1..{@code count} of the seeded stream that {@link OrderTopicWriter} writes (the
   * same records: key the id, value {@link OrderJson}, timestamp now), as fast as the broker takes
   * them rather than paced, and exactly {@code count} of them.
   *
   * @param count how many orders
   * @param seed the stream's seed
   * @throws Exception if the broker does not acknowledge every record
   */
  void write(int count, long seed) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    // As OrderTopicWriter: one request at a time on a topic just created (see the reason there).
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    OrderStream stream = new OrderStream(20_000, 200, 10_000, 500, seed);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    long now = System.nanoTime();
    try (KafkaProducer<String, OrderMessage> producer =
        new KafkaProducer<>(config, new StringSerializer(), new OrderJson.Writer())) {
      while (sent.size() < count) {
        for (Order order : stream.nextBurst(now)) {
          if (sent.size() == count) {
            break;
          }
          OrderMessage message = OrderMessage.of(order);
          sent.add(producer.send(new ProducerRecord<>(name, message.key(), message)));
        }
      }
      producer.flush();
      for (Future<RecordMetadata> record : sent) {
        record.get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Returns the end offset of each partition.
   *
   * @return the offset the next record of each partition will get
   * @throws Exception if the broker cannot say within 60 s
   */
  Map<TopicPartition, Long> endOffsets() throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(name, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin
        .listOffsets(request)
        .all()
        .get(WAIT_SECONDS, TimeUnit.SECONDS)
        .forEach((partition, info) -> ends.put(partition, info.offset()));
    return ends;
  }

  /**
   * Returns a group's committed offsets.
   *
   * @param group the group
   * @return the committed offset per partition; partitions without a commit are absent
   * @throws Exception if the broker cannot say within 60 s
   */
  Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, Long> committed = new HashMap<>();
    offsets.forEach(
        (partition, offset) -> {
          if (offset != null) {
            committed.put(partition, offset.offset());
          }
        });
    return committed;
  }

  /**
   * Tells whether every partition's committed offset has moved past where it was, or is at the
   * end: the group is making progress on the whole topic again.
   *
   * @param group the group
   * @param before the committed offsets to move past
   * @param ends the end offsets
   * @return true if every partition moved or is done
   * @throws Exception if the broker cannot say within 60 s
   */
  boolean everyPartitionMoved(
      String group, Map<TopicPartition, Long> before, Map<TopicPartition, Long> ends)
      throws Exception {
    Map<TopicPartition, Long> now = committed(group);
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      long at = now.getOrDefault(end.getKey(), 0L);
      if (at < end.getValue() && at <= before.getOrDefault(end.getKey(), 0L)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns each member's partitions.
   *
   * @param group the group
   * @return the partitions of each member, by member id
   * @throws Exception if the broker cannot say within 60 s
   */
  Map<String, Set<TopicPartition>> assignments(String group) throws Exception {
    Map<String, Set<TopicPartition>> byMember = new HashMap<>();
    for (MemberDescription member : describe(group).members()) {
      byMember.put(member.consumerId(), Set.copyOf(member.assignment().topicPartitions()));
    }
    return byMember;
  }

  /**
   * Returns how many members of a group hold partitions, as its coordinator sees them.
   *
   * @param group the group
   * @return the members with at least one partition; 0 for a group not known yet
   * @throws Exception if the broker cannot say within 60 s
   */
  long membersWithPartitions(String group) throws Exception {
    try {
      return describe(group).members().stream()
          .filter(member -> !member.assignment().topicPartitions().isEmpty())
          .count();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0; // No member has joined yet.
      }
      throw e;
    }
  }

  private ConsumerGroupDescription describe(String group) throws Exception {
    return admin
        .describeConsumerGroups(List.of(group))
        .all()
        .get(WAIT_SECONDS, TimeUnit.SECONDS)
        .get(group);
  }
}
