package dev.converge.bench;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.kafka.KafkaBatchSink;
import dev.converge.kafka.KafkaBatchSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Kafka → batch → Kafka: one result record per input record, exactly once through {@link
 * KafkaBatchSink} (one transaction per batch with its offsets) against at least once (a plain
 * idempotent producer, then {@code source.commit(batch)} once the batch's results are
 * acknowledged). Time per record.
 *
 * <p>The broker is one in-process KRaft node (Kafka's own test kit) started once per fork; the
 * input topic ({@value #PARTITIONS} partitions) holds {@value #RECORDS} small records written in
 * setup. Each measured invocation is one member of a fresh consumer group (classic protocol, {@code
 * max.poll.records} 500), with a fresh producer, reading the {@value #MEASURED} records after the
 * first {@value #PRIMED}, which setup reads and writes so that joining the group, {@code
 * initTransactions} and the first fetch are not timed. Batches (maxSize 500, maxWait 0) are sent
 * without waiting for the previous one; the invocation ends when the last one is committed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KafkaSinkBenchmark {

  static final int PARTITIONS = 4;
  static final int PRIMED = 500;
  static final int MEASURED = 50_000;
  static final int RECORDS = PRIMED + MEASURED;
  static final int MAX_POLL_RECORDS = 500;
  static final String IN = "orders";
  static final String OUT = "enriched";

  private static final AtomicInteger IDS = new AtomicInteger();

  private KafkaClusterTestKit cluster;
  private KafkaBatchSource<String, String> source;
  private BatchIterator<ConsumerRecord<String, String>> batches;
  private KafkaBatchSink<String, String> sink;
  private KafkaProducer<String, String> plain;
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
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin = cluster.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(IN, PARTITIONS, (short) 1),
                  new NewTopic(OUT, PARTITIONS, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Properties props = producerProps();
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>(RECORDS);
      for (int i = 0; i < RECORDS; i++) {
        String id = Integer.toString(i);
        String value = "{\"id\": " + id + "}";
        sent.add(producer.send(new ProducerRecord<>(IN, i % PARTITIONS, id, value)));
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

  private Properties producerProps() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }

  private static List<ProducerRecord<String, String>> results(
      Batch<ConsumerRecord<String, String>> batch) {
    List<ProducerRecord<String, String>> results = new ArrayList<>(batch.size());
    for (ConsumerRecord<String, String> record : batch.items()) {
      results.add(new ProducerRecord<>(OUT, record.partition(), record.key(), record.value()));
    }
    return results;
  }

  /** The at-least-once step: publish, and commit the batch once every result is acknowledged. */
  private CompletionStage<Void> publishThenCommit(Batch<ConsumerRecord<String, String>> batch) {
    List<ProducerRecord<String, String>> results = results(batch);
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(results.size());
    for (ProducerRecord<String, String> result : results) {
      plain.send(
          result,
          (metadata, error) -> {
            if (error != null) {
              acknowledged.completeExceptionally(error);
            } else if (left.decrementAndGet() == 0) {
              acknowledged.complete(null);
            }
          });
    }
    return acknowledged.thenCompose(done -> source.commit(batch));
  }

  @Setup(Level.Invocation)
  public void join(BenchmarkParams params) throws Exception {
    int id = IDS.incrementAndGet();
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-sink-" + id);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    source =
        KafkaBatchSource.builder(
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer()))
            .topics(IN)
            .build();
    boolean exactlyOnce = params.getBenchmark().endsWith("exactlyOnce");
    if (exactlyOnce) {
      Properties props = producerProps();
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-tx-" + id);
      sink = KafkaBatchSink.builder(source, new KafkaProducer<String, String>(props)).build();
    } else {
      plain = new KafkaProducer<>(producerProps());
    }
    batches =
        BatchIterator.builder(source)
            .maxSize(MAX_POLL_RECORDS)
            .maxWait(Duration.ZERO)
            .prefetch(1)
            .build();
    primed = 0;
    while (primed < PRIMED) {
      Batch<ConsumerRecord<String, String>> batch =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      primed += batch.size();
      CompletionStage<Void> done =
          exactlyOnce ? sink.send(batch, results(batch)) : publishThenCommit(batch);
      done.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  @TearDown(Level.Invocation)
  public void leave() {
    batches.close();
    if (sink != null) {
      sink.close();
      sink = null;
    }
    if (plain != null) {
      plain.close();
      plain = null;
    }
  }

  @Benchmark
  @OperationsPerInvocation(MEASURED)
  public int exactlyOnce() throws Exception {
    int read = primed;
    CompletionStage<Void> committed = null;
    while (read < RECORDS) {
      Batch<ConsumerRecord<String, String>> batch =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      read += batch.size();
      committed = sink.send(batch, results(batch));
    }
    committed.toCompletableFuture().get(120, TimeUnit.SECONDS);
    return read;
  }

  @Benchmark
  @OperationsPerInvocation(MEASURED)
  public int atLeastOnce() throws Exception {
    int read = primed;
    CompletionStage<Void> committed = null;
    while (read < RECORDS) {
      Batch<ConsumerRecord<String, String>> batch =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      read += batch.size();
      committed = publishThenCommit(batch);
    }
    committed.toCompletableFuture().get(120, TimeUnit.SECONDS);
    return read;
  }
}
