package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the source tells its {@link KafkaSourceMetrics}, over the scripted {@code MockConsumer}:
 * commits by outcome, pause and resume, records held, rebalances; and that a listener that throws
 * stops nothing.
 */
class KafkaSourceMetricsTest {

  private static final long WAIT = 30;

  private final ScriptedConsumer consumer = new ScriptedConsumer();
  private final Recording metrics = new Recording();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private KafkaBatchSource<String, String> source;

  private KafkaBatchSource<String, String> source(KafkaSourceMetrics metrics) {
    source =
        KafkaBatchSource.builder(consumer)
            .topics(ScriptedConsumer.TOPIC)
            .pollTimeout(Duration.ofMillis(10))
            .closeTimeout(Duration.ofSeconds(5))
            .threadFactory(
                task -> {
                  Thread t = new Thread(task, "kafka-source-under-test");
                  t.setDaemon(true);
                  t.setUncaughtExceptionHandler((thread, error) -> uncaught.add(error));
                  threads.add(t);
                  return t;
                })
            .metrics(metrics)
            .build();
    return source;
  }

  @AfterEach
  void closeSource() throws InterruptedException {
    if (source != null) {
      source.close();
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(WAIT));
        assertFalse(t.isAlive(), "the source's thread ended");
      }
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

  @Test
  void eachCommitAttemptIsReportedWithItsOutcome() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    consumer.refuseCommits(
        new StaleMemberEpochException("The member epoch is stale"),
        new RebalanceInProgressException("rebalancing"));
    KafkaBatchSource<String, String> source = source(metrics);

    get(source.commit(get(source.poll(10))));

    Await.until("the acknowledgement reported", () -> metrics.commits().size() == 3);
    assertEquals(
        List.of(
            "retried 1 StaleMemberEpochException",
            "retried 1 RebalanceInProgressException",
            "acknowledged 1"),
        metrics.commits());
    assertTrue(
        metrics.latencies.stream().allMatch(nanos -> nanos >= 0), metrics.latencies::toString);
  }

  @Test
  void aCommitRefusedForGoodIsReportedFailed() throws Exception {
    consumer.assignOnFirstPoll(2);
    addRecords(0, 0, 2);
    addRecords(1, 0, 2);
    GroupAuthorizationException refusal = new GroupAuthorizationException("not allowed");
    consumer.refuseCommits(refusal);
    KafkaBatchSource<String, String> source = source(metrics);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    while (records.size() < 4) {
      records.addAll(get(source.poll(10)));
    }

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> get(source.commit(records)));

    assertSame(refusal, failed.getCause());
    Await.until("the failure reported", () -> !metrics.commits().isEmpty());
    assertEquals(List.of("failed 2 GroupAuthorizationException"), metrics.commits());
  }

  @Test
  void pausingAndResumingAreReportedOnEachChange() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    KafkaBatchSource<String, String> source = source(metrics);
    assertEquals(4, get(source.poll(10)).size());

    Await.until("paused: no poll is pending", () -> metrics.pauses().equals(List.of(true)));
    CompletionStage<List<ConsumerRecord<String, String>>> next = source.poll(10);
    Await.until("resumed for the poll", () -> metrics.pauses().equals(List.of(true, false)));
    addRecords(0, 4, 6);
    assertEquals(2, get(next).size());
    Await.until("paused again", () -> metrics.pauses().equals(List.of(true, false, true)));
  }

  @Test
  void theRecordsHeldAreSampledAfterEachConsumerPoll() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 10);
    KafkaBatchSource<String, String> source = source(metrics);
    List<ConsumerRecord<String, String>> delivered = get(source.poll(4));

    Await.until("6 fetched and 4 delivered unmarked", () -> metrics.held().equals(List.of(6L, 4L)));
    get(source.commit(delivered.subList(0, 3)));
    Await.until("1 delivered unmarked", () -> metrics.held().equals(List.of(6L, 1L)));
    get(source.commit(delivered.subList(3, 4)));
    assertEquals(6, get(source.poll(100)).size());
    Await.until("none fetched, 6 unmarked", () -> metrics.held().equals(List.of(0L, 6L)));
  }

  @Test
  void rebalanceCallbacksThatMovePartitionsAreReported() throws Exception {
    consumer.assignOnFirstPoll(2);
    addRecords(0, 0, 2);
    KafkaBatchSource<String, String> source = source(metrics);
    get(source.poll(10));
    Await.until("assigned", () -> metrics.rebalances().equals(List.of("assigned 2")));

    consumer.schedulePollTask(() -> consumer.rebalance(List.of(ScriptedConsumer.tp(1))));
    Await.until("revoked", () -> metrics.rebalances().equals(List.of("assigned 2", "revoked 1")));
    consumer.losePartitions(List.of(ScriptedConsumer.tp(1)), List.of());
    Await.until(
        "lost",
        () ->
            metrics.rebalances().equals(List.of("assigned 2", "revoked 1", "lost 1", "revoked 1")));
    assertEquals(Set.of(), consumer.assignment());
  }

  @Test
  void aListenerThatThrowsStopsNothingAndGoesToTheThreadsHandler() throws Exception {
    IllegalStateException bug = new IllegalStateException("metrics bug");
    KafkaSourceMetrics throwing =
        new KafkaSourceMetrics() {
          @Override
          public void commitAcknowledged(int partitions, long latencyNanos) {
            throw bug;
          }

          @Override
          public void pausedChanged(boolean paused) {
            throw bug;
          }

          @Override
          public void recordsHeld(long fetched, long deliveredUnmarked) {
            throw bug;
          }

          @Override
          public void partitionsAssigned(int partitions) {
            throw bug;
          }
        };
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    KafkaBatchSource<String, String> source = source(throwing);

    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    get(source.commit(records));
    addRecords(0, 4, 8);
    assertEquals(4, get(source.poll(10)).size(), "the source goes on");

    Await.until("the commit's report failed too", () -> uncaught.size() >= 4);
    assertTrue(uncaught.stream().allMatch(error -> error == bug), uncaught::toString);
    assertEquals(1, threads.size());
    assertTrue(threads.get(0).isAlive());
  }

  /** Records what the source reports, as short strings, in order. */
  private static final class Recording implements KafkaSourceMetrics {
    private final List<String> commits = new CopyOnWriteArrayList<>();
    private final List<Long> latencies = new CopyOnWriteArrayList<>();
    private final List<Boolean> pauses = new CopyOnWriteArrayList<>();
    private final List<String> rebalances = new CopyOnWriteArrayList<>();
    private volatile List<Long> held = List.of();

    @Override
    public void commitAcknowledged(int partitions, long latencyNanos) {
      latencies.add(latencyNanos);
      commits.add("acknowledged " + partitions);
    }

    @Override
    public void commitRetried(int partitions, long latencyNanos, Throwable cause) {
      latencies.add(latencyNanos);
      commits.add("retried " + partitions + " " + cause.getClass().getSimpleName());
    }

    @Override
    public void commitFailed(int partitions, long latencyNanos, Throwable error) {
      latencies.add(latencyNanos);
      commits.add("failed " + partitions + " " + error.getClass().getSimpleName());
    }

    @Override
    public void pausedChanged(boolean paused) {
      pauses.add(paused);
    }

    @Override
    public void recordsHeld(long fetched, long deliveredUnmarked) {
      held = List.of(fetched, deliveredUnmarked);
    }

    @Override
    public void partitionsAssigned(int partitions) {
      rebalances.add("assigned " + partitions);
    }

    @Override
    public void partitionsRevoked(int partitions) {
      rebalances.add("revoked " + partitions);
    }

    @Override
    public void partitionsLost(int partitions) {
      rebalances.add("lost " + partitions);
    }

    List<String> commits() {
      return List.copyOf(commits);
    }

    List<Boolean> pauses() {
      return List.copyOf(pauses);
    }

    List<Long> held() {
      return held;
    }

    List<String> rebalances() {
      return List.copyOf(rebalances);
    }
  }
}
