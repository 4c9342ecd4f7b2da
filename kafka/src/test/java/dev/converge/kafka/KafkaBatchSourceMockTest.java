package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fast, deterministic layer: the source over Kafka's {@code MockConsumer} (see
 * {@link ScriptedConsumer}), for rebalance callbacks, wakeups, commit refusals and close.
 */
class KafkaBatchSourceMockTest {

  private static final long WAIT = 30;

  private final ScriptedConsumer consumer = new ScriptedConsumer();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private KafkaBatchSource<String, String> source;

  private KafkaBatchSource<String, String> source(Duration pollTimeout) {
    source =
        KafkaBatchSource.builder(consumer)
            .topics(ScriptedConsumer.TOPIC)
            .pollTimeout(pollTimeout)
            .closeTimeout(Duration.ofSeconds(5))
            .threadFactory(
                task -> {
                  Thread t = new Thread(task, "kafka-source-under-test");
                  t.setDaemon(true);
                  threads.add(t);
                  return t;
                })
            .build();
    return source;
  }

  /** A poll timeout no test waits for: anything that happens promptly was woken up. */
  private KafkaBatchSource<String, String> sourceThatOnlyWakesOnRequest() {
    return source(Duration.ofHours(1));
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

  /** Adds records atomically: the source's thread fetches all of them or none in one poll. */
  private void addRecords(int partition, long from, long to) {
    synchronized (consumer) {
      for (long offset = from; offset < to; offset++) {
        consumer.add(partition, offset, partition + ":" + offset);
      }
    }
  }

  private static List<Long> offsets(List<ConsumerRecord<String, String>> records) {
    List<Long> offsets = new ArrayList<>();
    records.forEach(r -> offsets.add(r.offset()));
    return offsets;
  }

  private static Map<TopicPartition, OffsetAndMetadata> commitOf(int partition, long offset) {
    return Map.of(ScriptedConsumer.tp(partition), new OffsetAndMetadata(offset));
  }

  @Test
  void deliversInOffsetOrderAndTouchesTheConsumerOnlyOnItsOwnThread() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 5);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();

    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    get(source.commit(records));

    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), offsets(records));
    assertEquals(commitOf(0, 5), consumer.lastCommit());
    source.close();
    assertEquals(
        Set.copyOf(threads),
        consumer.threads,
        "subscribe, poll, commit and close ran on one thread");
    assertTrue(consumer.closed());
  }

  @Test
  void pollReturnsAtMostMaxAndKeepsTheRestForTheNextPoll() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 10);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();

    assertEquals(List.of(0L, 1L, 2L), offsets(get(source.poll(3))));
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), offsets(get(source.poll(100))));
  }

  @Test
  void aGapHoldsTheCommitBackUntilItIsMarked() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 10);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> first = get(source.poll(5));
    List<ConsumerRecord<String, String>> second = get(source.poll(5));

    CompletableFuture<Void> secondDone = source.commit(second).toCompletableFuture();
    assertFalse(secondDone.isDone(), "held back by the unmarked first batch");

    get(source.commit(first.subList(0, 3)));
    assertEquals(List.of(commitOf(0, 3)), consumer.commits, "nothing unmarked was committed");
    assertFalse(secondDone.isDone());

    get(source.commit(first.subList(3, 5)));
    get(secondDone);
    assertEquals(commitOf(0, 10), consumer.lastCommit());
  }

  @Test
  void aCommitWakesTheConsumerFromALongPoll() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    Await.until("the thread waits in a poll of an hour", consumer::waitingInPoll);

    get(source.commit(records));

    assertTrue(consumer.wakeups > 0);
    assertEquals(commitOf(0, 3), consumer.lastCommit());
  }

  @Test
  void aPollWakesTheConsumerAndResumesThePausedPartitions() throws Exception {
    consumer.assignOnFirstPoll(2);
    addRecords(0, 0, 2);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    get(source.poll(10));
    Await.until(
        "partitions paused while no poll is pending", () -> consumer.pausedNow().size() == 2);

    CompletableFuture<List<ConsumerRecord<String, String>>> next =
        source.poll(10).toCompletableFuture();
    Await.until("partitions resumed for the pending poll", () -> consumer.pausedNow().isEmpty());
    addRecords(1, 0, 2);
    assertEquals(List.of(0L, 1L), offsets(get(next)));
  }

  @Test
  void whilePausedTheSourceKeepsPolling() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 2);
    KafkaBatchSource<String, String> source = source(Duration.ofMillis(5));
    get(source.poll(10));
    Await.until("paused", () -> consumer.pausedNow().size() == 1);
    int polls = consumer.polls;
    Await.until("consumer.poll called while paused", () -> consumer.polls >= polls + 5);
    assertEquals(1, consumer.pausedNow().size());
  }

  @Test
  void holdsAtMostOneConsumerPollsWorthBeyondWhatWasDelivered() throws Exception {
    consumer.assignOnFirstPoll(1);
    consumer.setMaxPollRecords(5);
    addRecords(0, 0, 20);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();

    assertEquals(List.of(0L), offsets(get(source.poll(1))));
    Await.until("paused", () -> consumer.pausedNow().size() == 1);
    assertEquals(5, consumer.position(ScriptedConsumer.tp(0)), "one consumer.poll's worth fetched");
    assertEquals(List.of(1L, 2L, 3L, 4L), offsets(get(source.poll(10))));
    assertEquals(List.of(5L, 6L, 7L, 8L, 9L), offsets(get(source.poll(10))));
  }

  @Test
  void aCancelledPollLosesNothing() throws Exception {
    consumer.assignOnFirstPoll(1);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    CompletableFuture<List<ConsumerRecord<String, String>>> withdrawn =
        source.poll(10).toCompletableFuture();
    assertTrue(withdrawn.cancel(false));

    addRecords(0, 0, 4);
    assertEquals(List.of(0L, 1L, 2L, 3L), offsets(get(source.poll(10))));
  }

  @Test
  void aSecondPollWhileOneIsPendingIsRefused() {
    consumer.assignOnFirstPoll(1);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    source.poll(1);
    assertThrows(IllegalStateException.class, () -> source.poll(1));
  }

  @Test
  void aCommitRefusedForAStaleMemberEpochOrARebalanceIsRetried() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    consumer.refuseCommits(
        new StaleMemberEpochException("The member epoch is stale"),
        new RebalanceInProgressException("rebalancing"));
    KafkaBatchSource<String, String> source = source(Duration.ofMillis(10));
    List<ConsumerRecord<String, String>> records = get(source.poll(10));

    get(source.commit(records));

    assertEquals(3, consumer.commitCount(), "refused twice, then acknowledged");
    assertEquals(commitOf(0, 4), consumer.lastCommit());
  }

  @Test
  void aCommitRefusedForGoodFailsItsStageWithTheRefusal() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    GroupAuthorizationException refusal = new GroupAuthorizationException("not allowed");
    consumer.refuseCommits(refusal);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> get(source.commit(records)));
    assertSame(refusal, failed.getCause());
  }

  @Test
  void revokedPartitionsCommitWhatIsMarkedAndDropTheirUndeliveredRecords() throws Exception {
    consumer.assignOnFirstPoll(2);
    addRecords(0, 0, 10);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> delivered =
        get(source.poll(4)); // 6 more held by the source
    assertEquals(List.of(0L, 1L, 2L, 3L), offsets(delivered));
    consumer.refuseCommits(
        new RebalanceInProgressException("the async commit meets the rebalance"));
    CompletableFuture<Void> marked = source.commit(delivered.subList(0, 2)).toCompletableFuture();
    Await.until("the async commit was refused", () -> consumer.commitCount() == 1);

    consumer.schedulePollTask(() -> consumer.rebalance(List.of(ScriptedConsumer.tp(1))));
    Await.until(
        "partition 0 revoked", () -> consumer.assignment().equals(Set.of(ScriptedConsumer.tp(1))));

    get(marked);
    assertEquals(
        commitOf(0, 2), consumer.lastCommit(), "the marked records committed on revocation");
    int commits = consumer.commitCount();
    get(source.commit(delivered.subList(2, 4))); // no longer ours: at once, no commit
    assertEquals(commits, consumer.commitCount());
    addRecords(1, 0, 3);
    List<ConsumerRecord<String, String>> next = get(source.poll(100));
    assertTrue(
        next.stream().allMatch(r -> r.partition() == 1), "partition 0's held records dropped");
    assertEquals(List.of(0L, 1L, 2L), offsets(next));
  }

  @Test
  void aRevocationCommitRefusedForAStaleMemberEpochIsRetriedBeforeThePartitionMoves()
      throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> delivered = get(source.poll(10));
    // The async commit is refused and backs off; the rebalance's synchronous commit is refused as
    // KIP-848's commitSync reports a stale epoch, then accepted.
    consumer.refuseCommits(
        new RebalanceInProgressException("rebalancing"),
        new CommitFailedException("OffsetCommit failed with stale member epoch."));
    CompletableFuture<Void> committed = source.commit(delivered).toCompletableFuture();
    Await.until("the async commit was refused", () -> consumer.commitCount() == 1);

    consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
    get(committed);

    assertEquals(
        3,
        consumer.commitCount(),
        () -> "refused async, refused sync, accepted on retry: " + consumer.commits);
    assertEquals(commitOf(0, 4), consumer.lastCommit());
  }

  @Test
  void aPartitionRevokedAndAssignedBackIsANewAssignment() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 5);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> old = get(source.poll(10));

    // The classic protocol's eager rebalance: everything revoked, then assigned again.
    CountDownLatch rebalanced = new CountDownLatch(1);
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of());
          consumer.rebalance(List.of(ScriptedConsumer.tp(0)));
          rebalanced.countDown();
        });
    CompletableFuture<List<ConsumerRecord<String, String>>> again =
        source.poll(10).toCompletableFuture();
    assertTrue(rebalanced.await(WAIT, TimeUnit.SECONDS));
    addRecords(0, 0, 5); // read again from the committed offset (none: the beginning)
    List<ConsumerRecord<String, String>> reread = get(again);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), offsets(reread));
    assertNotSame(old.get(0), reread.get(0));

    get(source.commit(old));
    assertEquals(
        0,
        consumer.commitCount(),
        "marks from the old assignment complete at once, commit nothing");
    get(source.commit(reread.subList(0, 2)));
    assertEquals(commitOf(0, 2), consumer.lastCommit());
  }

  @Test
  void lostPartitionsAreDroppedWithoutACommit() throws Exception {
    consumer.assignOnFirstPoll(2);
    addRecords(0, 0, 6);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> delivered = get(source.poll(3));

    consumer.losePartitions(List.of(ScriptedConsumer.tp(0)), List.of(ScriptedConsumer.tp(1)));
    Await.until(
        "partition 0 lost", () -> consumer.assignment().equals(Set.of(ScriptedConsumer.tp(1))));

    get(source.commit(delivered));
    assertEquals(0, consumer.commitCount());
    addRecords(1, 0, 2);
    assertEquals(
        List.of(0L, 1L), offsets(get(source.poll(100))), "partition 0's held records dropped");
  }

  @Test
  void aDeserializationFailureFailsTheStreamAfterTheRecordsBeforeIt() throws Exception {
    consumer.assignOnFirstPoll(1);
    consumer.setMaxPollRecords(3);
    addRecords(0, 0, 3);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    assertEquals(List.of(0L), offsets(get(source.poll(1)))); // 1 and 2 are held by the source
    RecordDeserializationException bad =
        new RecordDeserializationException(
            RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
            ScriptedConsumer.tp(0),
            3,
            0L,
            TimestampType.CREATE_TIME,
            null,
            null,
            new org.apache.kafka.common.header.internals.RecordHeaders(),
            "Error deserializing VALUE for partition orders-0 at offset 3",
            null);
    consumer.setPollException(bad);

    assertEquals(List.of(1L, 2L), offsets(get(source.poll(10))));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> get(source.poll(10)));
    assertSame(bad, failed.getCause());
    assertThrows(ExecutionException.class, () -> get(source.poll(10)), "and stays failed");
  }

  @Test
  void commitsStillWorkAfterTheStreamFailed() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    IllegalStateException broken = new IllegalStateException("broken");
    consumer.schedulePollTask(
        () -> {
          throw broken;
        });
    ExecutionException failed = assertThrows(ExecutionException.class, () -> get(source.poll(10)));
    assertSame(broken, failed.getCause());

    get(source.commit(records));
    assertEquals(commitOf(0, 3), consumer.lastCommit());
  }

  @Test
  void closeCompletesAPendingPollWithAnEmptyListClosesTheConsumerAndEndsTheThread()
      throws Exception {
    consumer.assignOnFirstPoll(1);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    CompletableFuture<List<ConsumerRecord<String, String>>> pending =
        source.poll(10).toCompletableFuture();
    Await.until("the thread polls", () -> consumer.polls > 0);

    source.close();

    assertEquals(List.of(), pending.getNow(null));
    assertTrue(consumer.closed());
    threads.get(0).join(TimeUnit.SECONDS.toMillis(WAIT));
    assertFalse(threads.get(0).isAlive());
    source.close(); // idempotent
    assertEquals(List.of(), get(source.poll(1)), "a closed source is exhausted");
  }

  @Test
  void closeCommitsWhatIsMarked() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 4);
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    // The async commit is refused; the retry is due only after a backoff, and close comes first.
    consumer.refuseCommits(new RebalanceInProgressException("rebalancing"));
    CompletableFuture<Void> committed = source.commit(records).toCompletableFuture();
    Await.until("the async commit was refused", () -> consumer.commitCount() == 1);

    source.close();

    // The commit landed before close() returned; its stage completes on the completion executor,
    // so it may do so just after.
    assertEquals(commitOf(0, 4), consumer.lastCommit());
    get(committed);
  }

  @Test
  void closeBeforeTheFirstPollClosesTheConsumerOnTheCallersThread() {
    KafkaBatchSource<String, String> source = sourceThatOnlyWakesOnRequest();
    source.close();
    assertTrue(consumer.closed());
    assertTrue(threads.isEmpty(), "no thread was started");
  }

  @Test
  void closeOnTheSourcesOwnThreadStartsTheCloseAndReturns() throws Exception {
    consumer.assignOnFirstPoll(1);
    // Only a direct completion executor runs callbacks on the source's thread; the default never.
    source =
        KafkaBatchSource.builder(consumer)
            .topics(ScriptedConsumer.TOPIC)
            .pollTimeout(Duration.ofHours(1))
            .closeTimeout(Duration.ofSeconds(5))
            .completionExecutor(Runnable::run)
            .threadFactory(
                task -> {
                  Thread t = new Thread(task, "kafka-source-under-test");
                  t.setDaemon(true);
                  threads.add(t);
                  return t;
                })
            .build();
    KafkaBatchSource<String, String> source = this.source;
    CompletableFuture<List<ConsumerRecord<String, String>>> next =
        source.poll(10).toCompletableFuture();
    CompletableFuture<Thread> closedOn = new CompletableFuture<>();
    next.thenRun(
        () -> {
          source.close();
          closedOn.complete(Thread.currentThread());
        });

    consumer.add(0, 0, "only");

    assertSame(threads.get(0), get(closedOn), "close() returned on the source's own thread");
    threads.get(0).join(TimeUnit.SECONDS.toMillis(WAIT));
    assertFalse(threads.get(0).isAlive());
    assertTrue(consumer.closed());
  }

  @Test
  void builderRejectsMissingTopicsAndBadTimeouts() {
    assertThrows(IllegalStateException.class, () -> KafkaBatchSource.builder(consumer).build());
    assertThrows(
        IllegalArgumentException.class, () -> KafkaBatchSource.builder(consumer).topics(List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> KafkaBatchSource.builder(consumer).pollTimeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> KafkaBatchSource.builder(consumer).closeTimeout(Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> KafkaBatchSource.builder(null));
    assertInstanceOf(
        KafkaBatchSource.class, KafkaBatchSource.builder(consumer).topics("t").build());
  }
}
