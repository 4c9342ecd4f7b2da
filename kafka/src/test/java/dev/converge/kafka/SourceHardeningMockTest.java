package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test (or two) per hardening item of the source, over {@link ScriptedConsumer}: where stages
 * complete, the unmarked-record limit, bounded commits after a failure, thread-creation failure,
 * startup calls that close() interrupts, leader epochs in commits, the client's stray wakeup from
 * commitAsync (KAFKA-20232), and committing a settled partition's position.
 */
class SourceHardeningMockTest {

  private static final long WAIT = 30;

  private final ScriptedConsumer consumer = new ScriptedConsumer();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final ExecutorService completions =
      Executors.newSingleThreadExecutor(task -> new Thread(task, "test-completions"));
  private KafkaBatchSource<String, String> source;

  private final ThreadFactory sourceThreads =
      task -> {
        Thread t = new Thread(task, "kafka-source-under-test");
        t.setDaemon(true);
        threads.add(t);
        return t;
      };

  private KafkaBatchSourceBuilder<String, String> builder(Duration pollTimeout) {
    return KafkaBatchSource.builder(consumer)
        .topics(ScriptedConsumer.TOPIC)
        .pollTimeout(pollTimeout)
        .closeTimeout(Duration.ofSeconds(5))
        .threadFactory(sourceThreads);
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
    completions.shutdown();
    assertTrue(completions.awaitTermination(WAIT, TimeUnit.SECONDS));
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

  private static Throwable failureOf(CompletionStage<?> stage) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> stage.toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    return e.getCause();
  }

  // ------------------------------------------------------------ completions off the consumer
  // thread

  @Test
  void pollAndCommitStagesCompleteOnTheCompletionExecutorNeverOnTheSourcesThread()
      throws Exception {
    consumer.assignOnFirstPoll(1);
    source = builder(Duration.ofHours(1)).completionExecutor(completions).build();
    CompletableFuture<List<ConsumerRecord<String, String>>> poll =
        source.poll(10).toCompletableFuture();
    CompletableFuture<Thread> pollCompletedOn = poll.thenApply(records -> Thread.currentThread());
    addRecords(0, 0, 3); // after the poll waits: the source's thread decides its completion

    assertEquals("test-completions", get(pollCompletedOn).getName());
    // Holding the executor proves the commit's stage waits for it: the chained code is attached
    // before the stage can complete, and runs where the stage completes.
    CountDownLatch executorHeld = new CountDownLatch(1);
    completions.execute(
        () -> {
          try {
            executorHeld.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    CompletableFuture<Void> commit = source.commit(get(poll)).toCompletableFuture();
    CompletableFuture<Thread> commitCompletedOn = commit.thenApply(done -> Thread.currentThread());
    Await.until("the broker acknowledged", () -> consumer.commitCount() == 1);
    assertFalse(commit.isDone(), "the acknowledgement's completion waits for the executor");
    executorHeld.countDown();
    assertEquals("test-completions", get(commitCompletedOn).getName());
  }

  @Test
  void aCommitStageAndTheCodeChainedToItRunOffTheSourcesThreadByDefault() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    source = builder(Duration.ofHours(1)).build(); // the default executor
    List<ConsumerRecord<String, String>> records = get(source.poll(10));

    Thread chainedOn = get(source.commit(records).thenApply(done -> Thread.currentThread()));

    assertNotSame(threads.get(0), chainedOn, "the acknowledgement came on the source's thread");
    assertEquals(Map.of(ScriptedConsumer.tp(0), new OffsetAndMetadata(3)), consumer.lastCommit());
  }

  @Test
  void aHandlerThatBlocksDoesNotDelayConsumerPoll() throws Exception {
    consumer.assignOnFirstPoll(1);
    source = builder(Duration.ofMillis(5)).completionExecutor(completions).build();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch handlerBlocks = new CountDownLatch(1);
    CompletableFuture<Void> handler =
        source
            .poll(10)
            .toCompletableFuture()
            .thenAccept(
                records -> {
                  handlerBlocks.countDown();
                  try {
                    release.await(); // blocking user code, chained to the poll's stage
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    addRecords(0, 0, 2);
    assertTrue(handlerBlocks.await(WAIT, TimeUnit.SECONDS));
    int pollsWhileBlocked;
    synchronized (consumer) {
      pollsWhileBlocked = consumer.polls;
    }

    Await.until(
        "consumer.poll goes on while the handler blocks",
        () -> {
          synchronized (consumer) {
            return consumer.polls >= pollsWhileBlocked + 5;
          }
        });
    release.countDown();
    get(handler);
  }

  // ------------------------------------------------------------ the unmarked limit

  @Test
  void deliveryStopsAtTheUnmarkedLimitAndResumesWhenMarksMakeRoom() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 20);
    source =
        builder(Duration.ofMillis(5)).completionExecutor(completions).maxUnmarkedRecords(5).build();

    List<ConsumerRecord<String, String>> first = get(source.poll(10));
    assertEquals(5, first.size(), "no more than the limit is delivered");
    assertEquals(5, source.unmarkedRecords());
    CompletableFuture<List<ConsumerRecord<String, String>>> held =
        source.poll(10).toCompletableFuture();
    int pollsAtLimit;
    synchronized (consumer) {
      pollsAtLimit = consumer.polls;
    }
    Await.until(
        "the source keeps polling, paused, at the limit",
        () -> {
          synchronized (consumer) {
            return consumer.polls >= pollsAtLimit + 5
                && consumer.pausedNow().contains(ScriptedConsumer.tp(0));
          }
        });
    assertFalse(held.isDone(), "nothing is delivered at the limit");

    get(source.commit(first.subList(0, 2)));

    List<ConsumerRecord<String, String>> next = get(held);
    assertEquals(2, next.size(), "a poll gets no more than the room marks made");
    assertEquals(5L, next.get(0).offset());
    assertEquals(5, source.unmarkedRecords());
  }

  @Test
  void unmarkedRecordsOfAnEndedAssignmentNoLongerCount() throws Exception {
    consumer.assignOnFirstPoll(2);
    addRecords(0, 0, 4);
    source =
        builder(Duration.ofMillis(5)).completionExecutor(completions).maxUnmarkedRecords(4).build();
    assertEquals(4, get(source.poll(10)).size());
    CompletableFuture<List<ConsumerRecord<String, String>>> held =
        source.poll(10).toCompletableFuture();

    consumer.losePartitions(List.of(ScriptedConsumer.tp(0)), List.of(ScriptedConsumer.tp(1)));
    Await.until(
        "partition 0 lost",
        () -> {
          synchronized (consumer) {
            return consumer.assignment().equals(java.util.Set.of(ScriptedConsumer.tp(1)));
          }
        });
    addRecords(1, 0, 3);

    assertEquals(3, get(held).size());
    assertEquals(3, source.unmarkedRecords());
  }

  // ------------------------------------------------------------ commits after a failure end

  private List<ConsumerRecord<String, String>> failTheStreamAfterRecords(Duration closeTimeout)
      throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    source =
        builder(Duration.ofMillis(5))
            .completionExecutor(completions)
            .closeTimeout(closeTimeout)
            .build();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    consumer.setPollException(
        new RecordDeserializationException(
            RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
            ScriptedConsumer.tp(0),
            3,
            0,
            TimestampType.CREATE_TIME,
            null,
            null,
            null,
            "bad record",
            null));
    assertInstanceOf(RecordDeserializationException.class, failureOf(source.poll(10)));
    return records;
  }

  @Test
  void afterAFailureACommitRefusedBecauseTheMemberIsGoneFailsOnceAndLaterMarksFailAtOnce()
      throws Exception {
    List<ConsumerRecord<String, String>> records = failTheStreamAfterRecords(Duration.ofSeconds(5));
    consumer.refuseCommits(new UnknownMemberIdException("evicted"));

    Throwable refusal = failureOf(source.commit(records.subList(0, 1)));
    assertInstanceOf(UnknownMemberIdException.class, refusal);
    int attempts = consumer.commitCount();
    Throwable later = failureOf(source.commit(records.subList(1, 3)));

    assertSame(refusal, later, "later marks fail with the reason, without another request");
    assertEquals(attempts, consumer.commitCount());
    assertEquals(1, attempts, "an evicted member's commit is not retried");
  }

  @Test
  void afterAFailureARetriableRefusalIsRetriedWithBackoffForAtMostTheCloseTimeout()
      throws Exception {
    List<ConsumerRecord<String, String>> records =
        failTheStreamAfterRecords(Duration.ofMillis(400));
    RuntimeException[] refusals = new RuntimeException[100];
    for (int i = 0; i < refusals.length; i++) {
      refusals[i] = new CoordinatorNotAvailableException("no coordinator " + i);
    }
    consumer.refuseCommits(refusals);

    Throwable refusal = failureOf(source.commit(records));

    assertInstanceOf(CoordinatorNotAvailableException.class, refusal);
    // 50 + 100 + 200 ms of backoff before 400 ms have passed: 4 or 5 attempts, never a spin.
    int attempts = consumer.commitCount();
    assertTrue(attempts >= 2 && attempts <= 6, "attempts: " + attempts);
  }

  @Test
  void whileRunningACommitRefusedForGoodIsNotResentWithoutABackoff() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    source = builder(Duration.ofMillis(1)).completionExecutor(completions).build();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    RuntimeException[] refusals = new RuntimeException[1000];
    for (int i = 0; i < refusals.length; i++) {
      refusals[i] = new org.apache.kafka.common.errors.GroupAuthorizationException("denied");
    }
    consumer.refuseCommits(refusals);

    failureOf(source.commit(records));
    int after = consumer.commitCount();
    long start = System.nanoTime();
    int polls;
    synchronized (consumer) {
      polls = consumer.polls;
    }
    Await.until(
        "100 turns of the loop",
        () -> {
          synchronized (consumer) {
            return consumer.polls >= polls + 100;
          }
        });
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // Each resend first waits the backoff: 50 ms, doubling to 1 s. Count the resends that fit.
    int resends = consumer.commitCount() - after;
    int bound = 1;
    for (long waited = 0, wait = 50; waited <= elapsedMs; wait = Math.min(1000, wait * 2)) {
      waited += wait;
      bound++;
    }
    assertTrue(resends <= bound, resends + " resends in " + elapsedMs + " ms");
  }

  // ------------------------------------------------------------ the thread cannot be made

  @Test
  void aThreadFactoryThatReturnsNullFailsTheStreamAndClosesTheConsumer() throws Exception {
    source =
        KafkaBatchSource.builder(consumer)
            .topics(ScriptedConsumer.TOPIC)
            .threadFactory(task -> null)
            .build();

    Throwable failure = failureOf(source.poll(10));

    assertInstanceOf(IllegalStateException.class, failure);
    assertTrue(consumer.closed());
    assertInstanceOf(IllegalStateException.class, failureOf(source.poll(10)), "still failed");
    source.close(); // returns: nothing to wait for
  }

  @Test
  void aThreadThatCannotBeCreatedFailsTheStreamWithTheCauseAndClosesTheConsumer() throws Exception {
    OutOfMemoryError cause = new OutOfMemoryError("unable to create native thread");
    source =
        KafkaBatchSource.builder(consumer)
            .topics(ScriptedConsumer.TOPIC)
            .threadFactory(
                task ->
                    new Thread(task) {
                      @Override
                      public synchronized void start() {
                        throw cause;
                      }
                    })
            .build();

    Throwable failure = failureOf(source.poll(10));

    assertSame(cause, failure.getCause());
    assertTrue(consumer.closed());
    source.close();
  }

  // ------------------------------------------------------------ startup calls

  @Test
  void closeInterruptsTheStartupTopicCheck() throws Exception {
    consumer.blockPartitionsFor();
    source = builder(Duration.ofMillis(5)).startupTimeout(Duration.ofHours(1)).build();
    CompletableFuture<List<ConsumerRecord<String, String>>> poll =
        source.poll(1).toCompletableFuture();
    Await.until("the source's thread asks for the topic's metadata", consumer::inPartitionsFor);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(source::close);

    closed.get(WAIT, TimeUnit.SECONDS);
    assertEquals(List.of(), get(poll));
    assertTrue(consumer.closed());
  }

  @Test
  void aTopicCheckWithoutAnAnswerWithinTheStartupTimeoutIsLeftToPoll() throws Exception {
    consumer.blockPartitionsFor();
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 2);
    source =
        builder(Duration.ofMillis(5))
            .startupTimeout(Duration.ofMillis(20))
            .completionExecutor(completions)
            .build();

    assertEquals(2, get(source.poll(10)).size());
  }

  // ------------------------------------------------------------ leader epochs

  @Test
  void aCommitCarriesTheLeaderEpochOfTheLastRecordItCovers() throws Exception {
    consumer.assignOnFirstPoll(1);
    source = builder(Duration.ofMillis(5)).completionExecutor(completions).build();
    CompletableFuture<List<ConsumerRecord<String, String>>> poll =
        source.poll(10).toCompletableFuture();
    Await.until(
        "assigned",
        () -> {
          synchronized (consumer) {
            return consumer.assignment().contains(ScriptedConsumer.tp(0));
          }
        });
    synchronized (consumer) {
      for (long offset = 0; offset < 3; offset++) {
        consumer.addRecord(
            new ConsumerRecord<>(
                ScriptedConsumer.TOPIC,
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                0,
                0,
                "k",
                "v" + offset,
                new RecordHeaders(),
                Optional.of(offset < 2 ? 4 : 7)));
      }
    }
    List<ConsumerRecord<String, String>> records = get(poll);

    get(source.commit(records.subList(0, 2)));
    assertEquals(Optional.of(4), consumer.lastCommit().get(ScriptedConsumer.tp(0)).leaderEpoch());
    get(source.commit(records));
    OffsetAndMetadata last = consumer.lastCommit().get(ScriptedConsumer.tp(0));
    assertEquals(3, last.offset());
    assertEquals(Optional.of(7), last.leaderEpoch());
  }

  // ------------------------------------------------------------ KAFKA-20232

  @Test
  void aWakeupThrownByCommitAsyncDoesNotFailTheStreamAndTheCommitIsSentAgain() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    source = builder(Duration.ofMillis(5)).completionExecutor(completions).build();
    List<ConsumerRecord<String, String>> records = get(source.poll(2));
    consumer.throwWakeupFromCommitAsync(3);

    get(source.commit(records));

    assertEquals(3, consumer.commitAsyncWakeupsThrown);
    assertEquals(Map.of(ScriptedConsumer.tp(0), new OffsetAndMetadata(2)), consumer.lastCommit());
    assertEquals(1, get(source.poll(2)).size(), "the stream goes on");
  }

  // ------------------------------------------------------------ settled partitions commit their
  // position

  @Test
  void aSettledPartitionWhosePositionIsPastItsLastRecordCommitsThePosition() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    source = builder(Duration.ofMillis(5)).completionExecutor(completions).build();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    get(source.commit(records));
    assertEquals(Map.of(ScriptedConsumer.tp(0), new OffsetAndMetadata(3)), consumer.lastCommit());

    // As a transaction's commit marker at offset 3 would: the position moves past it, no record.
    consumer.schedulePollTask(() -> consumer.seek(ScriptedConsumer.tp(0), 4));

    Await.until(
        "the position is committed",
        () -> {
          OffsetAndMetadata last = consumer.lastCommit().get(ScriptedConsumer.tp(0));
          return last != null && last.offset() == 4;
        });
  }

  @Test
  void aPartitionWithAnUnmarkedRecordDoesNotCommitItsPosition() throws Exception {
    consumer.assignOnFirstPoll(1);
    addRecords(0, 0, 3);
    source = builder(Duration.ofMillis(5)).completionExecutor(completions).build();
    List<ConsumerRecord<String, String>> records = get(source.poll(10));
    get(source.commit(records.subList(0, 2)));
    consumer.schedulePollTask(() -> consumer.seek(ScriptedConsumer.tp(0), 4));
    int polls;
    synchronized (consumer) {
      polls = consumer.polls;
    }

    Await.until(
        "turns of the loop after the seek",
        () -> {
          synchronized (consumer) {
            return consumer.polls >= polls + 20;
          }
        });

    assertEquals(Map.of(ScriptedConsumer.tp(0), new OffsetAndMetadata(2)), consumer.lastCommit());
  }
}
