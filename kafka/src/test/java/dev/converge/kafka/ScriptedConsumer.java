package dev.converge.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@link MockConsumer}, made to behave like a real consumer where the source depends on it:
 * {@code poll} blocks until its timeout unless something happens (a record, a scheduled task, a
 * wakeup), so an idle source does not spin and a test with a long poll timeout proves that a
 * wakeup was sent; commits can be refused with scripted exceptions; and every call of interest is
 * recorded, with the thread that made it.
 */
class ScriptedConsumer extends MockConsumer<String, String> {

  static final String TOPIC = "orders";

  private boolean signalled;
  private ConsumerRebalanceListener listener;
  private final Queue<RuntimeException> commitRefusals = new ArrayDeque<>();
  private final List<ConsumerRecord<String, String>> unassigned = new ArrayList<>();

  /** Every commit attempted (sync or async), in order, refused or not. */
  final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();

  final Set<Thread> threads = new HashSet<>();
  int polls;
  int wakeups;

  /** The consumer's thread is blocked in poll, waiting for something to happen. */
  boolean waitingInPoll;

  private long maxPollRecords = Long.MAX_VALUE;
  private int commitAsyncWakeups;
  int commitAsyncWakeupsThrown;
  private boolean blockPartitionsFor;
  private boolean inPartitionsFor;

  ScriptedConsumer() {
    super("earliest");
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      partitions.add(new PartitionInfo(TOPIC, p, null, new Node[0], new Node[0]));
    }
    updatePartitions(TOPIC, partitions);
  }

  static TopicPartition tp(int partition) {
    return new TopicPartition(TOPIC, partition);
  }

  /** Assigns {@code partitions} at the first poll, as a group coordinator would. */
  synchronized void assignOnFirstPoll(int partitions) {
    List<TopicPartition> all = new ArrayList<>();
    Map<TopicPartition, Long> begin = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      all.add(tp(p));
      begin.put(tp(p), 0L);
    }
    updateBeginningOffsets(begin);
    schedulePollTask(() -> rebalance(all));
  }

  /** Adds a record now if its partition is assigned, else once it is (MockConsumer wants that). */
  synchronized void add(int partition, long offset, String value) {
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(TOPIC, partition, offset, Long.toString(offset), value);
    if (assignment().contains(new TopicPartition(record.topic(), record.partition()))) {
      addRecord(record);
    } else {
      unassigned.add(record);
    }
  }

  @Override
  public synchronized void rebalance(Collection<TopicPartition> newAssignment) {
    super.rebalance(newAssignment);
    List<ConsumerRecord<String, String>> waiting = new ArrayList<>(unassigned);
    unassigned.clear();
    for (ConsumerRecord<String, String> record : waiting) {
      if (newAssignment.contains(new TopicPartition(record.topic(), record.partition()))) {
        addRecord(record);
      } else {
        unassigned.add(record);
      }
    }
  }

  /** The next commits are refused with these exceptions, one each, in order. */
  synchronized void refuseCommits(RuntimeException... refusals) {
    commitRefusals.addAll(List.of(refusals));
  }

  /** Runs on the consumer's thread inside its next poll. */
  @Override
  public synchronized void schedulePollTask(Runnable task) {
    super.schedulePollTask(task);
    signal();
  }

  /** Runs {@code lost}'s onPartitionsLost and then the rebalance to {@code remaining}, inside a poll. */
  synchronized void losePartitions(
      Collection<TopicPartition> lost, Collection<TopicPartition> remaining) {
    schedulePollTask(
        () -> {
          listener.onPartitionsLost(lost);
          rebalance(remaining);
        });
  }

  @Override
  public synchronized void addRecord(ConsumerRecord<String, String> record) {
    super.addRecord(record);
    signal();
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    synchronized (this) {
      this.listener = listener;
      threads.add(Thread.currentThread());
    }
    super.subscribe(topics, listener);
  }

  @Override
  public synchronized ConsumerRecords<String, String> poll(Duration timeout) {
    threads.add(Thread.currentThread());
    polls++;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!signalled && !closed()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        waitingInPoll = true;
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        waitingInPoll = false;
      }
    }
    signalled = false;
    notifyAll();
    ConsumerRecords<String, String> records;
    try {
      records = super.poll(timeout);
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // MockConsumer checks the wakeup before it hands out records: those already added stay
      // fetchable, and a real consumer's next poll would return them at once, so it must not wait.
      signalled = true;
      throw e;
    }
    if (records.count() >= maxPollRecords) {
      signalled = true; // there may be more: the next poll must not wait
    }
    return records;
  }

  @Override
  public synchronized void setMaxPollRecords(long maxPollRecords) {
    super.setMaxPollRecords(maxPollRecords);
    this.maxPollRecords = maxPollRecords;
  }

  @Override
  public synchronized void resume(Collection<TopicPartition> partitions) {
    super.resume(partitions);
    signal(); // records held back for these partitions are now fetchable
  }

  synchronized boolean waitingInPoll() {
    return waitingInPoll;
  }

  @Override
  public synchronized void setPollException(org.apache.kafka.common.KafkaException exception) {
    super.setPollException(exception);
    signal();
  }

  @Override
  public synchronized void wakeup() {
    wakeups++;
    super.wakeup();
    signal();
  }

  /**
   * The next {@code count} calls of commitAsync throw a WakeupException before sending anything,
   * as kafka-clients 4.3.1 does while it looks for an unknown coordinator (KAFKA-20232).
   */
  synchronized void throwWakeupFromCommitAsync(int count) {
    commitAsyncWakeups += count;
  }

  /** partitionsFor blocks until a wakeup (which it throws) or its timeout (a TimeoutException). */
  synchronized void blockPartitionsFor() {
    blockPartitionsFor = true;
  }

  synchronized boolean inPartitionsFor() {
    return inPartitionsFor;
  }

  @Override
  public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
    threads.add(Thread.currentThread());
    if (!blockPartitionsFor) {
      return super.partitionsFor(topic, timeout);
    }
    int wakeupsBefore = wakeups;
    long deadline = System.nanoTime() + timeout.toNanos();
    inPartitionsFor = true;
    try {
      while (wakeups == wakeupsBefore) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new org.apache.kafka.common.errors.TimeoutException(
              "no metadata for " + topic + " within " + timeout);
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new org.apache.kafka.common.errors.InterruptException(e);
        }
      }
    } finally {
      inPartitionsFor = false;
    }
    super.poll(Duration.ZERO); // consumes the wakeup, as a real consumer's blocking call does
    throw new AssertionError("unreachable: the poll above throws the wakeup");
  }

  @Override
  public synchronized void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
    threads.add(Thread.currentThread());
    if (commitAsyncWakeups > 0) {
      commitAsyncWakeups--;
      commitAsyncWakeupsThrown++;
      throw new org.apache.kafka.common.errors.WakeupException();
    }
    commits.add(Map.copyOf(offsets));
    RuntimeException refusal = commitRefusals.poll();
    if (refusal != null) {
      callback.onComplete(offsets, refusal);
      return;
    }
    super.commitAsync(offsets, callback);
  }

  @Override
  public synchronized void commitSync(
      Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    threads.add(Thread.currentThread());
    commits.add(Map.copyOf(offsets));
    RuntimeException refusal = commitRefusals.poll();
    if (refusal != null) {
      throw refusal;
    }
    super.commitAsync(offsets, null); // what MockConsumer's commitSync does, without counting twice
  }

  @Override
  public synchronized void close(org.apache.kafka.clients.consumer.CloseOptions options) {
    threads.add(Thread.currentThread());
    super.close(options);
    notifyAll();
  }

  synchronized Map<TopicPartition, OffsetAndMetadata> lastCommit() {
    return commits.isEmpty() ? Map.of() : commits.get(commits.size() - 1);
  }

  synchronized int commitCount() {
    return commits.size();
  }

  synchronized Set<TopicPartition> pausedNow() {
    return paused();
  }

  private void signal() {
    signalled = true;
    notifyAll();
  }
}
