package dev.converge.bench;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.kafka.KafkaBatchSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Consuming from Kafka with commit after processing: {@link KafkaBatchSource} plus
 * {@link BatchIterator} against the hand-written poll loop a user would write instead. Time per
 * record; the target is at most 1.1× the hand-written loop.
 *
 * <p>The broker is one in-process KRaft node (Kafka's own test kit), started once per fork; the
 * topic ({@value #PARTITIONS} partitions) holds {@value #RECORDS} small records written in setup.
 * Each measured invocation is one member of a fresh consumer group (classic protocol, default
 * {@code max.poll.records} of 500) reading all {@value #MEASURED} records after the first
 * {@value #PRIMED}, which setup reads so that joining the group and the first fetch are not timed.
 * Processing is a {@link Blackhole} per record; each batch is committed once processed, without
 * waiting for the broker's answer (the hand loop's {@code commitAsync()}, the source's
 * {@code commit(batch)}); the invocation ends when the last commit is acknowledged. Broker and
 * consumers share the machine, so scores include the broker's work, the same for both contenders.
 *
 * <ul>
 *   <li>{@code handWrittenPollLoop}: {@code poll}, process the records, {@code commitAsync()}.
 *   <li>{@code kafkaBatchSource}: {@code next()} on the iterator (maxSize 500, maxWait 0, prefetch
 *       1), process, {@code source.commit(batch)}: the source's thread polls, pauses and commits.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KafkaSourceBenchmark {

  static final int PARTITIONS = 4;
  static final int PRIMED = 500;
  static final int MEASURED = 200_000;
  static final int RECORDS = PRIMED + MEASURED;
  static final int MAX_POLL_RECORDS = 500;
  static final String TOPIC = "orders";

  private static final AtomicInteger GROUPS = new AtomicInteger();

  private KafkaClusterTestKit cluster;

  // One member per invocation, set up (joined, first records read) before it.
  private KafkaConsumer<String, String> handConsumer;
  private KafkaBatchSource<String, String> source;
  private BatchIterator<ConsumerRecord<String, String>> batches;
  private int primed;

  @Setup(Level.Trial)
  public void startBroker() throws Exception {
    cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin = cluster.admin()) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>(RECORDS);
      for (int i = 0; i < RECORDS; i++) {
        String id = Integer.toString(i);
        sent.add(
            producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, id, "{\"id\": " + id + "}")));
      }
      producer.flush();
      for (Future<RecordMetadata> write : sent) {
        write.get(60, TimeUnit.SECONDS);
      }
    }
  }

  @TearDown(Level.Trial)
  public void stopBroker() throws Exception {
    cluster.close();
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + GROUPS.incrementAndGet());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    return props;
  }

  /** Joins a fresh group with the hand-written consumer and reads (and commits) the first records. */
  @Setup(Level.Invocation)
  public void join(org.openjdk.jmh.infra.BenchmarkParams params) throws Exception {
    primed = 0;
    if (params.getBenchmark().endsWith("handWrittenPollLoop")) {
      handConsumer =
          new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer());
      handConsumer.subscribe(List.of(TOPIC));
      while (primed < PRIMED) {
        primed += handConsumer.poll(Duration.ofMillis(100)).count();
      }
      handConsumer.commitSync();
    } else {
      source =
          KafkaBatchSource.builder(
                  new KafkaConsumer<>(
                      consumerConfig(), new StringDeserializer(), new StringDeserializer()))
              .topics(TOPIC)
              .build();
      batches =
          BatchIterator.builder(source)
              .maxSize(MAX_POLL_RECORDS)
              .maxWait(Duration.ZERO)
              .prefetch(1)
              .build();
      while (primed < PRIMED) {
        Batch<ConsumerRecord<String, String>> batch =
            batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
        primed += batch.items().size();
        source.commit(batch).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  @TearDown(Level.Invocation)
  public void leave() {
    if (handConsumer != null) {
      handConsumer.close();
      handConsumer = null;
    }
    if (batches != null) {
      batches.close();
      batches = null;
      source = null;
    }
  }

  @Benchmark
  @OperationsPerInvocation(MEASURED)
  public int handWrittenPollLoop(Blackhole bh) {
    int read = primed;
    while (read < RECORDS) {
      ConsumerRecords<String, String> records = handConsumer.poll(Duration.ofMillis(100));
      for (ConsumerRecord<String, String> record : records) {
        bh.consume(record.value());
      }
      read += records.count();
      handConsumer.commitAsync();
    }
    handConsumer.commitSync();
    return read;
  }

  @Benchmark
  @OperationsPerInvocation(MEASURED)
  public int kafkaBatchSource(Blackhole bh) throws Exception {
    int read = primed;
    CompletionStage<Void> committed = null;
    while (read < RECORDS) {
      Batch<ConsumerRecord<String, String>> batch =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      for (ConsumerRecord<String, String> record : batch.items()) {
        bh.consume(record.value());
      }
      read += batch.items().size();
      committed = source.commit(batch);
    }
    committed.toCompletableFuture().get(60, TimeUnit.SECONDS);
    return read;
  }
}
