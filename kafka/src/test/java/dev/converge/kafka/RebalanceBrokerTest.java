package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.fixtures.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two members of one group on a real broker, on both group protocols: a member joins while the
 * other holds a batch it has not finished, partitions move, and nothing is lost.
 */
class RebalanceBrokerTest {

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  /** A group member: a source and an iterator, consumed by its own thread, committing each batch. */
  private static final class Member implements AutoCloseable {
    final KafkaBatchSource<String, String> source;
    final BatchIterator<ConsumerRecord<String, String>> batches;
    final Map<String, AtomicInteger> processed;
    final List<Throwable> commitFailures = new CopyOnWriteArrayList<>();
    final AtomicInteger delivered = new AtomicInteger();
    final CompletableFuture<Void> done;
    volatile CountDownLatch hold;
    volatile int holdAfter = Integer.MAX_VALUE;
    final CountDownLatch holding = new CountDownLatch(1);

    Member(String group, String protocol, String topic, Map<String, AtomicInteger> processed) {
      this.processed = processed;
      this.source =
          KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, protocol)))
              .topics(topic)
              .pollTimeout(Duration.ofMillis(50))
              .build();
      this.batches =
          BatchIterator.builder(source).maxSize(50).maxWait(Duration.ofMillis(5)).build();
      this.done =
          CompletableFuture.runAsync(this::consume, r -> new Thread(r, "member-" + topic).start());
    }

    private void consume() {
      try {
        while (true) {
          Optional<Batch<ConsumerRecord<String, String>>> next =
              batches.next().get(120, TimeUnit.SECONDS);
          if (next.isEmpty()) {
            return;
          }
          Batch<ConsumerRecord<String, String>> batch = next.get();
          if (delivered.addAndGet(batch.items().size()) >= holdAfter && hold != null) {
            // Mid-stream: this batch is delivered and not yet processed while the group rebalances.
            holding.countDown();
            hold.await();
            hold = null;
          }
          for (ConsumerRecord<String, String> record : batch.items()) {
            processed.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
          }
          source
              .commit(batch)
              .toCompletableFuture()
              .exceptionally(
                  e -> {
                    commitFailures.add(e);
                    return null;
                  })
              .get(120, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
      batches.close();
      try {
        done.get(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static boolean bothMembersHavePartitions(String group) {
    try {
      var description =
          broker
              .admin()
              .describeConsumerGroups(Set.of(group))
              .all()
              .get(30, TimeUnit.SECONDS)
              .get(group);
      return description.members().size() == 2
          && description.members().stream().allMatch(m -> !assigned(m).isEmpty());
    } catch (Exception e) {
      return false;
    }
  }

  private static Set<TopicPartition> assigned(MemberDescription member) {
    return member.assignment().topicPartitions();
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void aMemberJoiningMidStreamLosesNothingAndEverythingIsCommitted(String protocol)
      throws Exception {
    int partitions = 4;
    int count = 4000;
    String topic = broker.createTopic("rebalance-" + protocol, partitions);
    String group = KafkaBroker.unique("group");
    broker.produce(topic, partitions, 0, count);
    Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();

    CountDownLatch release = new CountDownLatch(1);
    Member first = new Member(group, protocol, topic, processed);
    Member second = null;
    try {
      first.hold = release;
      first.holdAfter = count / 4;
      assertTrue(first.holding.await(120, TimeUnit.SECONDS), "the first member holds a batch");

      second = new Member(group, protocol, topic, processed);
      Await.until("the group rebalanced onto both members", () -> bothMembersHavePartitions(group));
      release.countDown();

      try {
        Await.until(
            "every record processed and committed",
            () -> {
              try {
                return processed.size() == count
                    && broker.committed(group).equals(broker.endOffsets(topic, partitions));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + ": processed "
                + processed.size()
                + ", committed "
                + broker.committed(group)
                + ", end "
                + broker.endOffsets(topic, partitions)
                + ", delivered "
                + first.delivered
                + "/"
                + second.delivered
                + ", commit failures "
                + first.commitFailures
                + second.commitFailures,
            e);
      }
    } finally {
      release.countDown();
      first.close();
      if (second != null) {
        second.close();
      }
    }
    for (int i = 0; i < count; i++) {
      assertTrue(processed.containsKey(Integer.toString(i)), "record " + i + " lost");
    }
    assertEquals(List.of(), first.commitFailures);
    assertEquals(List.of(), second.commitFailures);
    assertTrue(second.delivered.get() > 0, "the second member took part");
  }

  private static KafkaBatchSource<String, String> member(
      String group, String protocol, String topic) {
    return KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, protocol)))
        .topics(topic)
        .pollTimeout(Duration.ofMillis(50))
        .build();
  }

  private static List<ConsumerRecord<String, String>> of(
      List<ConsumerRecord<String, String>> records, TopicPartition partition, long fromOffset) {
    return records.stream()
        .filter(r -> r.partition() == partition.partition() && r.offset() >= fromOffset)
        .collect(Collectors.toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void afterARebalanceMarkedRecordsStayCommittedAndUnmarkedOnesAreReadAgain(String protocol)
      throws Exception {
    String topic = broker.createTopic("handover-" + protocol, 2);
    String group = KafkaBroker.unique("group");
    broker.produce(topic, 2, 0, 40); // offsets 0..19 in each partition
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    try (KafkaBatchSource<String, String> first = member(group, protocol, topic)) {
      List<ConsumerRecord<String, String>> delivered = DeliveryBrokerTest.take(first, 40);
      List<ConsumerRecord<String, String>> marked =
          new ArrayList<>(of(delivered, p0, 0).subList(0, 10));
      marked.addAll(of(delivered, p1, 0).subList(0, 10));
      first.commit(marked).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(Map.of(p0, 10L, p1, 10L), broker.committed(group));

      try (KafkaBatchSource<String, String> second = member(group, protocol, topic)) {
        CompletableFuture<List<ConsumerRecord<String, String>>> secondReads =
            second.poll(100).toCompletableFuture();
        Await.until(
            "the group rebalanced onto both members", () -> bothMembersHavePartitions(group));
        List<ConsumerRecord<String, String>> reread = secondReads.get(60, TimeUnit.SECONDS);
        TopicPartition moved = new TopicPartition(topic, reread.get(0).partition());
        TopicPartition kept = moved.equals(p0) ? p1 : p0;
        assertTrue(reread.stream().allMatch(r -> r.partition() == moved.partition()));
        assertEquals(10L, reread.get(0).offset(), "the new owner starts after the marked records");

        // The first member's unmarked records of the partition it lost: done at once, nothing
        // committed.
        first.commit(of(delivered, moved, 10)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(10L, broker.committed(group).get(moved));

        first.commit(of(delivered, kept, 10)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (protocol.equals("consumer")) {
          // KIP-848 moves only what it must: the kept partition's assignment went on, so it
          // commits.
          assertEquals(20L, broker.committed(group).get(kept));
        } else {
          // The classic protocol revoked everything: the kept partition is a new assignment, the
          // old
          // records' marks complete at once, and the member reads them again from the commit.
          assertEquals(10L, broker.committed(group).get(kept));
          List<ConsumerRecord<String, String>> again = DeliveryBrokerTest.take(first, 10);
          assertEquals(10L, again.get(0).offset());
          assertTrue(again.stream().allMatch(r -> r.partition() == kept.partition()));
        }
      }
    }
  }
}
