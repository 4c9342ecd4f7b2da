package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.Batch;
import dev.converge.internal.Failures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaBatchSink} over Kafka's mocks, for what a broker does not do on demand: a revocation
 * between a batch's delivery and its send, a commit that fails, a fenced producer.
 */
class SinkMockTest {

  private static final long WAIT = 30;

  private final ScriptedConsumer consumer = new ScriptedConsumer();
  private final MockProducer<String, String> producer =
      new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
  private KafkaBatchSource<String, String> source;
  private KafkaBatchSink<String, String> sink;

  private void build() {
    source =
        KafkaBatchSource.builder(consumer)
            .topics(ScriptedConsumer.TOPIC)
            .pollTimeout(Duration.ofMillis(20))
            .closeTimeout(Duration.ofSeconds(5))
            .build();
    sink = KafkaBatchSink.builder(source, producer).build();
  }

  @AfterEach
  void close() {
    if (sink != null) {
      sink.close();
    }
    if (source != null) {
      source.close();
    }
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
  }

  private void addRecords(int partition, long from, long to) {
    synchronized (consumer) {
      for (long offset = from; offset < to; offset++) {
        consumer.add(partition, offset, partition + ":" + offset);
      }
    }
  }

  private List<ConsumerRecord<String, String>> take(int n) throws Exception {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    while (records.size() < n) {
      records.addAll(get(source.poll(n - records.size())));
    }
    return records;
  }

  private static Batch<ConsumerRecord<String, String>> batch(
      List<ConsumerRecord<String, String>> records, long sequence) {
    return new Batch<>(records, sequence, Batch.Reason.SIZE);
  }

  private static List<ProducerRecord<String, String>> results(
      List<ConsumerRecord<String, String>> records) {
    List<ProducerRecord<String, String>> results = new ArrayList<>();
    records.forEach(r -> results.add(new ProducerRecord<>("out", r.value() + "!")));
    return results;
  }

  @Test
  void aBatchDeliveredBeforeARevocationIsStaleAndKeptPartitionsAreRewound() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 10);
    build();
    List<ConsumerRecord<String, String>> first = take(4);
    List<ConsumerRecord<String, String>> second = take(6);
    get(sink.send(batch(first, 0), results(first)));
    assertEquals(
        List.of(Map.of("dummy.group.id", Map.of(ScriptedConsumer.tp(0), new OffsetAndMetadata(4)))),
        producer.consumerGroupOffsetsHistory());

    // Partition 1 comes and goes: partition 0 is kept, but the rebalance revoked a partition.
    CompletableFuture<Void> rebalanced = new CompletableFuture<>();
    consumer.updateBeginningOffsets(Map.of(ScriptedConsumer.tp(1), 0L));
    consumer.schedulePollTask(
        () -> consumer.rebalance(List.of(ScriptedConsumer.tp(0), ScriptedConsumer.tp(1))));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(ScriptedConsumer.tp(0)));
          rebalanced.complete(null);
        });
    get(rebalanced);

    int transactions = producer.consumerGroupOffsetsHistory().size();
    get(sink.send(batch(second, 1), results(second))); // stale: at once, nothing published
    assertEquals(transactions, producer.consumerGroupOffsetsHistory().size());
    assertEquals(4, producer.history().size(), "only the first batch's results");

    // Partition 0 was rewound to what the transaction committed: 4..9 come again, and commit.
    // (MockConsumer forgets what it returned; a broker still has it.)
    addRecords(0, 0, 10);
    List<ConsumerRecord<String, String>> again = take(6);
    assertEquals(4L, again.get(0).offset());
    assertEquals(9L, again.get(5).offset());
    get(sink.send(batch(again, 2), results(again)));
    assertEquals(
        Map.of(ScriptedConsumer.tp(0), new OffsetAndMetadata(10)),
        producer.consumerGroupOffsetsHistory().get(transactions).get("dummy.group.id"));
    assertEquals(10, producer.history().size());
  }

  @Test
  void aFailedCommitAbortsTheTransactionAndFailsTheStream() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    build();
    List<ConsumerRecord<String, String>> records = take(4);
    KafkaException refused = new KafkaException("refused");
    producer.commitTransactionException = refused;

    ExecutionException failed =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> get(sink.send(batch(records, 0), results(records))));
    assertSame(refused, Failures.unwrap(failed));
    assertTrue(producer.transactionAborted());
    ExecutionException streamFailed =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> get(source.poll(10)));
    assertSame(refused, Failures.unwrap(streamFailed));
    ExecutionException later =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> get(sink.send(batch(records, 1), List.of())));
    assertSame(refused, Failures.unwrap(later));
  }

  /**
   * A transactional offset commit refused because the group moved on (a generation the metadata
   * did not know yet) is aborted, and the batch is stale: its stage completes with nothing
   * published, the stream goes on, and its records come again and commit with the next
   * transaction. Nothing is committed twice.
   */
  @Test
  void aCommitRefusedByTheGroupAbortsAndTheRecordsComeAgain() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    build();
    List<ConsumerRecord<String, String>> records = take(4);
    producer.sendOffsetsToTransactionException =
        new CommitFailedException("the group has rebalanced (test)");

    get(sink.send(batch(records, 0), results(records))); // stale: completes, nothing published
    assertTrue(producer.transactionAborted());
    assertEquals(List.of(), producer.history());
    assertEquals(List.of(), producer.consumerGroupOffsetsHistory());

    producer.sendOffsetsToTransactionException = null;
    addRecords(0, 0, 4); // MockConsumer forgets what it returned; a broker still has it
    List<ConsumerRecord<String, String>> again = take(4);
    assertEquals(0L, again.get(0).offset(), "rewound to what transactions committed");
    get(sink.send(batch(again, 1), results(again)));
    assertEquals(
        List.of(Map.of("dummy.group.id", Map.of(ScriptedConsumer.tp(0), new OffsetAndMetadata(4)))),
        producer.consumerGroupOffsetsHistory());
    assertEquals(4, producer.history().size(), "each result once");
  }

  @Test
  void aFencedProducerClosesTheSinkAndTheSource() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    build();
    List<ConsumerRecord<String, String>> records = take(4);
    producer.fenceProducer();

    ExecutionException failed =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> get(sink.send(batch(records, 0), results(records))));
    assertTrue(
        Failures.unwrap(failed) instanceof org.apache.kafka.common.errors.ProducerFencedException);
    Await.until("the producer closed", producer::closed);
    Await.until("the source closed", consumer::closed);
    assertEquals(List.of(), get(source.poll(10)), "a closed source ends its stream");
    assertFalse(producer.transactionCommitted());
  }
}
