package dev.converge.kafka;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a source with a {@link KafkaBatchSink} attached has delivered and the sink has not yet
 * sent: each record with its delivery ordinal (its position in the order in which the source
 * delivered records, from 0 without gaps), and per partition the offset to rewind to.
 *
 * <p>A record is <em>fresh</em> while it is held here. A rebalance that revokes any partition of
 * this member, or a rewind, forgets every record ({@link #forgetAll}): their batches are then
 * stale, and their sends publish nothing.
 * Records are looked up by identity, so a record delivered again after a rewind (same topic,
 * partition and offset, another object) is a different delivery.
 *
 * <p>Not thread-safe: every method is called with the source's lock held.
 */
final class Deliveries {

  private final IdentityHashMap<ConsumerRecord<?, ?>, Long> ordinals = new IdentityHashMap<>();

  /**
   * Per partition of the current assignments: where reading must start again for nothing
   * delivered and not committed by a transaction to be lost. The last offset a transaction
   * committed, or else the first offset delivered.
   */
  private final Map<TopicPartition, Long> rewindTo = new HashMap<>();

  private long nextOrdinal;

  /** Records the delivery of {@code record}, the next one this source delivers. */
  void delivered(ConsumerRecord<?, ?> record) {
    ordinals.put(record, nextOrdinal++);
    rewindTo.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
  }

  /** Takes an ordinal for a record skipped without delivery (a dead letter). */
  long skipped(TopicPartition partition, long offset) {
    rewindTo.putIfAbsent(partition, offset);
    return nextOrdinal++;
  }

  /** The ordinal the next delivered record gets: every record before it was delivered. */
  long nextOrdinal() {
    return nextOrdinal;
  }

  /**
   * Takes {@code record} out: it is being sent.
   *
   * @return its ordinal, or -1 when it is stale (or this source never delivered it)
   */
  long take(ConsumerRecord<?, ?> record) {
    Long ordinal = ordinals.remove(record);
    return ordinal == null ? -1 : ordinal;
  }

  /** A transaction committed {@code offset} for {@code partition}: reading restarts there. */
  void committed(TopicPartition partition, long offset) {
    rewindTo.merge(partition, offset, Math::max);
  }

  /** Where {@code partition} must be read again from; null when nothing was delivered of it. */
  Long rewindPoint(TopicPartition partition) {
    return rewindTo.get(partition);
  }

  /** Forgets every delivery: a revoking rebalance made them all stale. */
  void forgetAll() {
    ordinals.clear();
    rewindTo.clear();
  }
}
