package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Puts a sink's transactions in the order in which the source delivered their records, and runs
 * one at a time.
 *
 * <p>Each unit of work is a {@link Step}: a batch sent (its results and offsets), a dead letter
 * skipped (its offset only), or a stretch of records that needs no transaction (a stale batch).
 * A step covers the delivery ordinals {@code first..last} of its records (see {@link Deliveries});
 * it starts when every record delivered before {@code first} is settled. A rebalance that revokes
 * partitions, or a rewind, {@link #jump jumps} over everything delivered before it: those steps
 * complete at once, publishing nothing.
 *
 * <p>Not thread-safe: every method is called with the source's lock held; {@link #awaitIdle} and
 * {@link #awaitChange} wait on a condition of that lock, releasing it meanwhile.
 */
final class TransactionSequencer {

  /** One transaction to run, or one stretch of ordinals to settle without one. */
  static final class Step {
    final long first;
    final long last;
    final Map<TopicPartition, OffsetAndMetadata> offsets;
    final List<? extends ProducerRecord<?, ?>> results;

    /** Completes when the step's transaction committed; null for a dead letter's step. */
    final CompletableFuture<Void> stage;

    Step(
        long first,
        long last,
        Map<TopicPartition, OffsetAndMetadata> offsets,
        List<? extends ProducerRecord<?, ?>> results,
        CompletableFuture<Void> stage) {
      this.first = first;
      this.last = last;
      this.offsets = offsets;
      this.results = results;
      this.stage = stage;
    }

    /** Whether the step settles its ordinals without a transaction. */
    boolean empty() {
      return offsets.isEmpty() && results.isEmpty();
    }
  }

  /** At most this many batches share one transaction. */
  static final int MAX_STEPS_PER_TRANSACTION = 32;

  private final TreeMap<Long, Step> waiting = new TreeMap<>();
  private final Condition idle;

  /** The first ordinal not settled yet. */
  private long next;

  /** The steps of the transaction running now, or null. */
  private List<Step> running;

  /** Set while a rebalance or a rewind is under way: no transaction starts. */
  private int blocked;

  private RuntimeException failure;

  TransactionSequencer(ReentrantLock lock) {
    this.idle = lock.newCondition();
  }

  /** The failure that ended the sink, or null. */
  RuntimeException failure() {
    return failure;
  }

  /** Queues {@code step}; it fails at once if the sink has failed or is closed. */
  void submit(Step step, AfterUnlock completions) {
    if (failure != null) {
      if (step.stage != null) {
        completions.fail(step.stage, failure);
      }
      return;
    }
    waiting.put(step.first, step);
  }

  /**
   * The steps whose transaction is to run now, or null: one is running, a rebalance is under way,
   * or the next step in delivery order has not been sent. Steps that need no transaction are
   * settled on the way. Consecutive steps already sent share the transaction (up to {@link
   * #MAX_STEPS_PER_TRANSACTION}): each stage still completes only when that transaction commits.
   */
  List<Step> next(AfterUnlock completions) {
    if (running != null || blocked > 0 || failure != null) {
      return null;
    }
    while (!waiting.isEmpty()) {
      Step step = waiting.firstEntry().getValue();
      if (step.first > next) {
        return null; // an earlier batch has not been sent yet
      }
      waiting.pollFirstEntry();
      if (step.first < next || step.empty()) {
        next = Math.max(next, step.last + 1);
        if (step.stage != null) {
          completions.complete(step.stage, null);
        }
        continue;
      }
      running = group(step);
      return running;
    }
    return null;
  }

  /**
   * {@code step} and the steps it takes along. A step whose ordinals lie inside the group's span
   * always joins: a dead letter skipped while the iterator was filling a batch gets an ordinal
   * between the batch's first and last, and once that batch commits, {@code next} is past it, so
   * left behind it would be settled without its offset ever being committed. Then consecutive
   * steps join, up to {@link #MAX_STEPS_PER_TRANSACTION} (nested ones do not count: they hold no
   * batch of their own to bound).
   */
  private List<Step> group(Step step) {
    List<Step> group = new ArrayList<>();
    group.add(step);
    long last = takeNested(group, step.last);
    int batches = 1;
    while (batches < MAX_STEPS_PER_TRANSACTION
        && !waiting.isEmpty()
        && waiting.firstKey() == last + 1) {
      Step more = waiting.pollFirstEntry().getValue();
      group.add(more);
      batches++;
      last = takeNested(group, Math.max(last, more.last));
    }
    return group;
  }

  /** Moves every waiting step that starts at or before {@code last} into {@code group}. */
  private long takeNested(List<Step> group, long last) {
    while (!waiting.isEmpty() && waiting.firstKey() <= last) {
      Step nested = waiting.pollFirstEntry().getValue();
      group.add(nested);
      last = Math.max(last, nested.last);
    }
    return last;
  }

  /**
   * The offsets a transaction holding {@code group} commits: per partition the highest of its
   * steps'. Within what one rebalance leaves fresh, a partition's offsets grow with the delivery
   * order, but a nested step (a dead letter) comes after the step around it in the group, so "the
   * later step wins" would move a partition back.
   */
  static Map<TopicPartition, OffsetAndMetadata> offsets(List<Step> group) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (Step step : group) {
      step.offsets.forEach(
          (partition, offset) ->
              offsets.merge(partition, offset, (a, b) -> a.offset() >= b.offset() ? a : b));
    }
    return offsets;
  }

  /** The running transaction, holding {@code group}, committed. */
  void committed(List<Step> group) {
    running = null;
    for (Step step : group) {
      next = Math.max(next, step.last + 1);
    }
    idle.signalAll();
  }

  /**
   * The running transaction was aborted without failing the sink: its ordinals stay unsettled
   * until a {@link #jump} (the rewind that follows) passes them.
   */
  void abandoned() {
    running = null;
    idle.signalAll();
  }

  /** The running step's transaction failed: the sink fails, and every step waiting with it. */
  void failed(RuntimeException error, AfterUnlock completions) {
    running = null;
    fail(error, completions);
  }

  /** Fails the sink (failure or close): steps still waiting fail with {@code error}. */
  void fail(RuntimeException error, AfterUnlock completions) {
    if (failure == null) {
      failure = error;
    }
    for (Step step : waiting.values()) {
      if (step.stage != null) {
        completions.fail(step.stage, failure);
      }
    }
    waiting.clear();
    idle.signalAll();
  }

  /** Whether a transaction is running. */
  boolean busy() {
    return running != null;
  }

  /** Stops new transactions from starting until {@link #unblock()}. */
  void block() {
    blocked++;
  }

  void unblock() {
    blocked--;
  }

  /**
   * Waits, releasing the lock meanwhile, until no transaction runs or {@code deadline} (a
   * System.nanoTime()) passes.
   *
   * @return whether no transaction runs
   */
  boolean awaitIdle(long deadline) {
    while (running != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        idle.awaitNanos(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return running == null;
      }
    }
    return true;
  }

  /**
   * Everything delivered before ordinal {@code to} is stale: its steps complete at once,
   * publishing nothing, and the next transaction is the first one delivered from {@code to} on.
   */
  void jump(long to, AfterUnlock completions) {
    next = Math.max(next, to);
    Collection<Step> stale = waiting.headMap(to).values();
    for (Step step : stale) {
      if (step.stage != null) {
        completions.complete(step.stage, null);
      }
    }
    stale.clear();
  }

  /** Whether nothing is waiting or running: a close has nothing left to wait for. */
  boolean drained() {
    return running == null && (waiting.isEmpty() || waiting.firstKey() > next);
  }

  /** Waits up to {@code nanos} for a change (a commit, a failure). */
  void awaitChange(long nanos) throws InterruptedException {
    idle.await(nanos, TimeUnit.NANOSECONDS);
  }
}
