package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Many threads mark batches at once, in a seeded random order, while the source's thread polls and
 * commits: every stage completes, and the last commit covers everything, per partition.
 */
class ConcurrentCommitStressTest {

  private static final int ROUNDS = 200;
  private static final int PER_PARTITION = 150;
  private static final int THREADS = 4;

  @Test
  void concurrentCommitsInAnyOrderAllCompleteAndTheLastCommitCoversEverything() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Random random = new Random(round);
      ScriptedConsumer consumer = new ScriptedConsumer();
      consumer.assignOnFirstPoll(2);
      consumer.setMaxPollRecords(1 + random.nextInt(60));
      for (int p = 0; p < 2; p++) {
        for (long offset = 0; offset < PER_PARTITION; offset++) {
          consumer.add(p, offset, p + ":" + offset);
        }
      }
      KafkaBatchSource<String, String> source =
          KafkaBatchSource.builder(consumer)
              .topics(ScriptedConsumer.TOPIC)
              .pollTimeout(Duration.ofMillis(5))
              .build();
      try {
        List<List<ConsumerRecord<String, String>>> batches = new ArrayList<>();
        int received = 0;
        while (received < 2 * PER_PARTITION) {
          List<ConsumerRecord<String, String>> batch =
              source.poll(1 + random.nextInt(40)).toCompletableFuture().get(30, TimeUnit.SECONDS);
          batches.add(batch);
          received += batch.size();
        }
        Collections.shuffle(batches, random);
        List<CompletableFuture<Void>> stages = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> committers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int first = t;
          Thread committer =
              new Thread(
                  () -> {
                    try {
                      start.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    for (int i = first; i < batches.size(); i += THREADS) {
                      stages.add(source.commit(batches.get(i)).toCompletableFuture());
                    }
                  });
          committers.add(committer);
          committer.start();
        }
        for (Thread committer : committers) {
          committer.join();
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(batches.size(), stages.size());
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(consumer);
        assertEquals(
            Map.of(
                ScriptedConsumer.tp(0), new OffsetAndMetadata(PER_PARTITION),
                ScriptedConsumer.tp(1), new OffsetAndMetadata(PER_PARTITION)),
            committed,
            "round " + round);
      } finally {
        source.close();
      }
      assertFalse(consumer.commits.isEmpty());
    }
  }

  /** The highest offset committed per partition, over every commit the consumer saw. */
  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(
      ScriptedConsumer consumer) {
    Map<TopicPartition, OffsetAndMetadata> highest = new HashMap<>();
    synchronized (consumer) {
      for (Map<TopicPartition, OffsetAndMetadata> commit : consumer.commits) {
        commit.forEach(
            (tp, om) -> highest.merge(tp, om, (a, b) -> a.offset() >= b.offset() ? a : b));
      }
    }
    return highest;
  }
}
