package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Records fetched by {@code consumer.poll} and not yet delivered, and the one poll of the source
 * waiting for them.
 *
 * <p>Records are kept as fetched: one chunk per partition and {@code consumer.poll}, in fetch
 * order, so each partition's records leave in offset order. Taking a record for delivery records
 * it in its partition's {@link PartitionTracker}, which is what later lets a commit mark it.
 *
 * <p>Not thread-safe: every method is called with the source's lock held. A poll's completion is
 * recorded in an {@link AfterUnlock}, to be carried out once the lock is released.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
final class FetchBuffer<K, V> {

  private final ReentrantLock lock;
  private final UnmarkedLimit unmarkedLimit;
  private final ArrayDeque<PartitionFetch<K, V>> chunks = new ArrayDeque<>();
  private int size;
  private PollFuture<ConsumerRecord<K, V>> pending;
  private int pendingMax;

  /** Set when a sink is attached: each delivery is recorded there too. */
  private Deliveries deliveries;

  /**
   * Creates an empty buffer.
   *
   * @param lock the source's lock, which a pending poll takes to make its withdrawal and its
   *     delivery exclusive
   * @param unmarkedLimit the bound on delivered records not yet marked: nothing is taken beyond it
   */
  FetchBuffer(ReentrantLock lock, UnmarkedLimit unmarkedLimit) {
    this.lock = lock;
    this.unmarkedLimit = unmarkedLimit;
  }

  /** A sink is attached: record each delivery's ordinal in {@code deliveries} from now on. */
  void recordDeliveries(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  /** The offset of the first record held for {@code partition}, or null when none is held. */
  Long firstOffset(TopicPartition partition) {
    for (PartitionFetch<K, V> chunk : chunks) {
      if (chunk.tracker.partition().equals(partition)) {
        return chunk.records.get(chunk.next).offset();
      }
    }
    return null;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Records fetched and not yet delivered. */
  int size() {
    return size;
  }

  /** Whether records are held and the {@link UnmarkedLimit} lets some be delivered now. */
  boolean canDeliver() {
    return size > 0 && unmarkedLimit.room() > 0;
  }

  /** Adds what one {@code consumer.poll} returned, for the partitions {@code assignment} owns. */
  void add(ConsumerRecords<K, V> records, Assignment assignment) {
    for (TopicPartition partition : records.partitions()) {
      PartitionTracker tracker = assignment.tracker(partition);
      if (tracker == null) {
        continue; // not ours any more; uncommitted, so its owner reads it
      }
      List<ConsumerRecord<K, V>> list = records.records(partition);
      chunks.addLast(new PartitionFetch<>(tracker, list));
      size += list.size();
    }
  }

  /**
   * Takes up to {@code max} records, and no more than the {@link UnmarkedLimit} has room for
   * ({@link #canDeliver()} came first), recording their delivery.
   */
  List<ConsumerRecord<K, V>> take(int max) {
    int n = Math.min(Math.min(max, size), unmarkedLimit.room());
    List<ConsumerRecord<K, V>> items = new ArrayList<>(n);
    while (items.size() < n) {
      PartitionFetch<K, V> chunk = chunks.peekFirst();
      int from = chunk.next;
      int to = Math.min(chunk.records.size(), from + (n - items.size()));
      for (int i = from; i < to; i++) {
        ConsumerRecord<K, V> record = chunk.records.get(i);
        if (deliveries != null) {
          deliveries.delivered(record); // the sink's transactions, not marks, commit it
        } else {
          chunk.tracker.delivered(record);
        }
        items.add(record);
      }
      chunk.next = to;
      if (to == chunk.records.size()) {
        chunks.pollFirst();
      }
    }
    size -= n;
    return items;
  }

  /** Whether records of {@code partition} are held, fetched and not yet delivered. */
  boolean holds(TopicPartition partition) {
    for (PartitionFetch<K, V> chunk : chunks) {
      if (chunk.tracker.partition().equals(partition)) {
        return true;
      }
    }
    return false;
  }

  /** Drops every record held; they were never delivered, so never committed. */
  void clear() {
    chunks.clear();
    size = 0;
  }

  /** Drops the records held for {@code partitions}, which are no longer this member's. */
  void drop(Collection<TopicPartition> partitions) {
    chunks.removeIf(
        chunk -> {
          if (partitions.contains(chunk.tracker.partition())) {
            size -= chunk.records.size() - chunk.next;
            return true;
          }
          return false;
        });
  }

  /** Whether a poll is pending and not withdrawn; forgets one its caller withdrew. */
  boolean hasPendingPoll() {
    if (pending != null && pending.isDone()) {
      pending = null; // withdrawn by its caller
    }
    return pending != null;
  }

  /** Registers a poll that waits for records; {@link #checkNoPendingPoll()} came first. */
  PollFuture<ConsumerRecord<K, V>> awaitRecords(int max) {
    PollFuture<ConsumerRecord<K, V>> poll = new PollFuture<>(lock);
    pending = poll;
    pendingMax = max;
    return poll;
  }

  /**
   * Refuses a second poll while one is pending (a {@code BatchSource} serves one at a time) and
   * forgets a pending poll that is done (withdrawn, or completed and not yet forgotten).
   */
  void checkNoPendingPoll() {
    if (pending != null && !pending.isDone()) {
      throw new IllegalStateException(
          "a poll is already pending; a BatchSource serves one at a time");
    }
    pending = null;
  }

  /**
   * Serves the pending poll with records held (as far as the {@link UnmarkedLimit} lets them go)
   * or, when none is held, with {@code failure} (when not null), recording its completion.
   */
  void servePending(RuntimeException failure, AfterUnlock completions) {
    PollFuture<ConsumerRecord<K, V>> poll = pending;
    boolean deliver = canDeliver();
    if (poll == null || !deliver && (size > 0 || failure == null)) {
      return;
    }
    pending = null;
    if (!poll.claim()) {
      return;
    }
    if (deliver) {
      List<ConsumerRecord<K, V>> items = take(pendingMax);
      completions.add(() -> poll.deliver(items));
      return;
    }
    completions.add(() -> poll.deliverFailure(failure));
  }

  /** Ends the pending poll with an empty list (the source is closing) and drops what is held. */
  void close(AfterUnlock completions) {
    PollFuture<ConsumerRecord<K, V>> poll = pending;
    if (poll != null && poll.claim()) {
      completions.add(() -> poll.deliver(List.of()));
    }
    pending = null;
    clear();
  }

  /** One partition's records from one {@code consumer.poll}; {@code next}: first undelivered. */
  private static final class PartitionFetch<K, V> {
    final PartitionTracker tracker;
    final List<ConsumerRecord<K, V>> records;
    int next;

    PartitionFetch(PartitionTracker tracker, List<ConsumerRecord<K, V>> records) {
      this.tracker = tracker;
      this.records = records;
    }
  }
}
