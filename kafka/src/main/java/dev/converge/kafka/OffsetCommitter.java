package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Commits after processing: marks from any thread, commit requests sent by the source's thread,
 * and the stages waiting for their answers.
 *
 * <p>{@link #commit} marks records in their partitions' trackers and returns a stage that waits
 * for an acknowledgement covering them. A commit is due by one rule, {@link
 * PartitionTracker#commitDue()}: marked progress that is neither acknowledged nor in a commit
 * awaiting its answer. While the source runs, its thread sends what is due asynchronously, one
 * request at a time, from its loop; after a refusal that retrying cures, the next one waits a
 * backoff. Revocation, close and the time after a failure commit synchronously, through {@link
 * #commitSync}, the one synchronous loop, whose retries are set per {@link SyncCommit occasion}.
 *
 * <p>The state here is guarded by the source's lock. Stages complete through {@link
 * SourceState#runCompletions}, after the lock is released; each attempt's answer is reported to
 * the {@link KafkaSourceMetrics} after that, on the source's thread.
 */
final class OffsetCommitter {

  /** The wait after a refusal in a synchronous commit loop, before the next attempt. */
  private static final long RETRY_BACKOFF_NANOS = RetryBackoff.FIRST_NANOS;

  /** See {@link CommitErrors#generationRefused}: enough for a KIP-848 epoch to catch up. */
  private static final int GENERATION_RETRIES = 5;

  /** How {@link #commitSync} retries, for each occasion that commits synchronously. */
  enum SyncCommit {
    /**
     * Revoked partitions, before the rebalance completes: refusals that retrying cures are retried
     * until the deadline. If one still stands then, the stages are left to complete when the
     * assignment ends (the new owner reads their records again); any other refusal fails them.
     */
    REVOCATION(Retries.UNTIL_DEADLINE, GivingUp.LEAVES_MARKS_DUE),
    /**
     * close(): retried until the deadline, like a revocation; then a refusal still standing fails
     * the stages it would have covered, since nothing will commit their records any more.
     */
    CLOSE(Retries.UNTIL_DEADLINE, GivingUp.FAILS_STAGES),
    /**
     * After the stream failed: one attempt per call. A refusal that retrying cures leaves the marks
     * due; the caller tries again, with whatever is marked by then, after a backoff, for at most
     * the close timeout (see {@link #commitUntilClosed}).
     */
    AFTER_FAILURE(Retries.NONE, GivingUp.LEAVES_MARKS_DUE);

    private final Retries retries;
    private final GivingUp givingUp;

    SyncCommit(Retries retries, GivingUp givingUp) {
      this.retries = retries;
      this.givingUp = givingUp;
    }
  }

  private enum Retries {
    NONE,
    /** Until the deadline; a refusal of generation or epoch at most GENERATION_RETRIES times. */
    UNTIL_DEADLINE
  }

  private enum GivingUp {
    /** A refusal that retrying cures leaves the marks due; any other fails the stages. */
    LEAVES_MARKS_DUE,
    /** Any refusal fails the stages. */
    FAILS_STAGES
  }

  private final Consumer<?, ?> consumer;
  private final ReentrantLock lock;
  private final SourceState state;
  private final Assignment assignment;
  private final Duration closeTimeout;
  private final KafkaSourceMetrics metrics;

  /** Lock held: serves a poll waiting for room under the {@link UnmarkedLimit}. */
  private final java.util.function.Consumer<AfterUnlock> roomMade;

  // Guarded by lock.
  private boolean asyncCommitInFlight;

  /** No asynchronous commit is sent before this System.nanoTime() (a backoff after a refusal). */
  private long asyncRetryAt = System.nanoTime();

  /** The backoff of asynchronous commits (while RUNNING). */
  private final RetryBackoff asyncBackoff = new RetryBackoff();

  /** A sink is attached: offsets move only through its transactions, never through commits. */
  private boolean transactional;

  /** The backoff of commits after the stream failed; confined to the source's thread. */
  private final RetryBackoff afterFailureBackoff = new RetryBackoff();

  /**
   * Creates the committer over the source's shared state.
   *
   * @param roomMade called under the lock when marks brought the unmarked records below their
   *     limit: serves the poll that waits for room
   */
  OffsetCommitter(
      Consumer<?, ?> consumer,
      ReentrantLock lock,
      SourceState state,
      Assignment assignment,
      Duration closeTimeout,
      KafkaSourceMetrics metrics,
      java.util.function.Consumer<AfterUnlock> roomMade) {
    this.consumer = consumer;
    this.lock = lock;
    this.state = state;
    this.assignment = assignment;
    this.closeTimeout = closeTimeout;
    this.metrics = metrics;
    this.roomMade = roomMade;
  }

  /**
   * Marks {@code records} (not empty) processed; see {@code KafkaBatchSource.commit}. Wakes the
   * source's thread when a commit became due.
   */
  CompletionStage<Void> commit(Collection<? extends ConsumerRecord<?, ?>> records) {
    CommitWaiter waiter = new CommitWaiter();
    AfterUnlock completions = new AfterUnlock();
    boolean wake = false;
    CompletionStage<Void> result;
    lock.lock();
    try {
      boolean wasFull = assignment.unmarkedLimit().full();
      // Records usually come in runs of one partition: one tracker lookup per run.
      String topic = null;
      int partition = -1;
      PartitionTracker tracker = null;
      long upTo = -1;
      boolean due = false;
      for (ConsumerRecord<?, ?> record : records) {
        if (record.partition() != partition || !record.topic().equals(topic)) {
          due |= awaitCommit(tracker, upTo, waiter, completions);
          topic = record.topic();
          partition = record.partition();
          tracker = assignment.tracker(new TopicPartition(topic, partition));
          upTo = -1;
        }
        if (tracker != null && tracker.mark(record)) {
          upTo = Math.max(upTo, record.offset() + 1);
        }
      }
      due |= awaitCommit(tracker, upTo, waiter, completions);
      if (wasFull && !assignment.unmarkedLimit().full()) {
        roomMade.accept(completions); // a poll waiting for room gets records now
        due = true; // and the thread resumes the partitions
      }
      result =
          waiter.nothingExpected() && completions.isEmpty()
              ? CompletableFuture.completedFuture(null)
              : waiter.stage;
      if (waiter.nothingExpected() && !waiter.stage.isDone()) {
        completions.complete(waiter.stage, null);
      }
      if (due) {
        wake = state.nudge(); // else a gap holds the commit back: nothing for the thread to do yet
      }
    } finally {
      lock.unlock();
    }
    state.runCompletions(completions);
    if (wake) {
      consumer.wakeup();
    }
    return result;
  }

  /** Lock held. Registers the waiter for the marks on one tracker; true if a commit became due. */
  private static boolean awaitCommit(
      PartitionTracker tracker, long upTo, CommitWaiter waiter, AfterUnlock completions) {
    if (tracker == null || upTo < 0) {
      return false;
    }
    tracker.advance();
    if (tracker.await(upTo, waiter)) {
      waiter.expect();
      if (tracker.givenUp() != null) {
        // Commits of this assignment ended after the stream failed: fail now, with the reason.
        tracker.commitFailed(Long.MAX_VALUE, tracker.givenUp(), completions);
      }
    }
    return tracker.commitDue();
  }

  /**
   * Lock held. The commit to send asynchronously now, or null: nothing is due, a commit is in
   * flight (its answer comes first), or a refusal's backoff has not passed.
   */
  CommitRequest takeAsyncRequest() {
    if (asyncCommitInFlight || System.nanoTime() - asyncRetryAt < 0) {
      return null;
    }
    CommitRequest request = dueRequest(assignment.trackers());
    asyncCommitInFlight = request != null;
    return request;
  }

  /**
   * Sends {@code request} asynchronously; its answer comes inside a later consumer call.
   *
   * <p>kafka-clients 4.3.1 may throw a {@link WakeupException} from {@code commitAsync} itself
   * while it looks for an unknown coordinator (KAFKA-20232, apache/kafka#21592): a wakeup meant
   * for {@code consumer.poll} (another thread's poll, commit or close) surfaces here instead. The
   * commit was not sent then; it is answered here as a refusal that retrying cures, so it is sent
   * again after the backoff, and the stream goes on.
   */
  void sendAsync(CommitRequest request) {
    request.sentAt = System.nanoTime();
    try {
      consumer.commitAsync(request.offsets, request);
    } catch (WakeupException e) {
      request.onComplete(request.offsets, e);
    }
  }

  /**
   * Lock held. The request a synchronous commit sends for {@code trackers}: what is marked and not
   * acknowledged, including what a commit in flight covers, since that commit's answer comes only
   * inside a consumer call and the synchronous one must not wait for it. Null when nothing is due.
   */
  CommitRequest syncRequest(Collection<PartitionTracker> trackers) {
    for (PartitionTracker tracker : trackers) {
      tracker.forgetSentCommit();
    }
    return dueRequest(trackers);
  }

  /**
   * The one synchronous commit loop: commits {@code request}, retrying as {@code occasion} says
   * (never past {@code deadline}, which also bounds each attempt), and settles its stages with the
   * outcome.
   *
   * @return the refusal left standing, or null when the broker acknowledged the commit
   */
  RuntimeException commitSync(CommitRequest request, long deadline, SyncCommit occasion) {
    int generationRefusals = 0;
    while (true) {
      request.sentAt = System.nanoTime();
      try {
        Duration timeout = Duration.ofNanos(Math.max(0, deadline - request.sentAt));
        consumer.commitSync(request.offsets, timeout);
        request.settle(request::acknowledged);
        request.report(null, false);
        return null;
      } catch (RuntimeException e) {
        boolean retry =
            occasion.retries == Retries.UNTIL_DEADLINE
                && CommitErrors.retriable(e)
                && !(CommitErrors.generationRefused(e) && ++generationRefusals > GENERATION_RETRIES)
                && deadline - System.nanoTime() > 0;
        if (retry) {
          request.report(e, true);
          state.backoff(RETRY_BACKOFF_NANOS);
          continue;
        }
        if (occasion.givingUp == GivingUp.FAILS_STAGES) {
          request.settle(completions -> request.failed(e, completions));
          request.report(e, false);
        } else {
          request.settle(completions -> request.refused(e, completions));
          // After a failure the caller sends what is due again; a revocation gives up for good.
          request.report(e, occasion == SyncCommit.AFTER_FAILURE && CommitErrors.retriable(e));
        }
        return e;
      }
    }
  }

  /**
   * After the stream failed, until close(): no more consumer.poll (the consumer would fail the same
   * way), so no asynchronous commit is ever answered; what is marked is committed synchronously
   * instead, as soon as it is due.
   */
  void commitUntilClosed() {
    afterFailureBackoff.reset();
    lock.lock();
    try {
      // A commit sent asynchronously is answered only inside consumer calls; make it due again.
      for (PartitionTracker tracker : assignment.trackers()) {
        tracker.forgetSentCommit();
      }
      asyncCommitInFlight = false;
    } finally {
      lock.unlock();
    }
    while (true) {
      CommitRequest request = null;
      lock.lock();
      try {
        while (state.isFailed() && (request = dueRequest(assignment.trackers())) == null) {
          state.awaitWork();
        }
      } finally {
        lock.unlock();
      }
      if (request == null) {
        return; // close() was called
      }
      long deadline = System.nanoTime() + closeTimeout.toNanos();
      RuntimeException refusal = commitSync(request, deadline, SyncCommit.AFTER_FAILURE);
      if (refusal == null) {
        afterFailureBackoff.reset();
      } else if (retryAfterFailure(refusal)) {
        state.backoff(afterFailureBackoff.refused());
      } else {
        giveUp(request, refusal);
      }
    }
  }

  /**
   * Whether a commit refused after the stream failed is worth another attempt. The thread no longer
   * calls consumer.poll, so the member no longer heartbeats: once the coordinator has evicted it
   * (unknown member, stale generation or epoch) no commit can succeed, and a refusal for good
   * stays. Other refusals that retrying cures (the coordinator moving or unreachable) are retried
   * with a growing backoff for at most the close timeout.
   */
  private boolean retryAfterFailure(RuntimeException refusal) {
    return CommitErrors.retriable(refusal)
        && !CommitErrors.generationRefused(refusal)
        && afterFailureBackoff.refusingForNanos() < closeTimeout.toNanos();
  }

  /**
   * Ends the commits of the trackers {@code request} covered: their waiting stages fail with
   * {@code reason}, nothing more is sent for them, and later marks on them fail at once with it.
   */
  private void giveUp(CommitRequest request, RuntimeException reason) {
    request.settle(
        completions -> {
          for (PartitionTracker tracker : request.covered) {
            if (assignment.owns(tracker)) {
              tracker.giveUp(reason);
              tracker.commitFailed(Long.MAX_VALUE, reason, completions);
            }
          }
        });
  }

  /**
   * Lock held. Lets a settled assignment commit its consumer position (see {@link
   * PartitionTracker#skipTo}), for partitions whose position is past their last record.
   *
   * @return whether a commit became due
   */
  boolean skipTo(PartitionTracker tracker, long position) {
    tracker.advance();
    return assignment.owns(tracker) && tracker.skipTo(position);
  }

  /** Lock held. A sink is attached: from now on no commit is ever due. */
  void transactional() {
    transactional = true;
  }

  /** Lock held. Applies the one due rule to {@code trackers}; null when no commit is due. */
  private CommitRequest dueRequest(Collection<PartitionTracker> trackers) {
    if (transactional) {
      return null; // the sink's transactions commit the offsets
    }
    CommitRequest request = null;
    for (PartitionTracker tracker : trackers) {
      tracker.advance();
      if (tracker.commitDue()) {
        if (request == null) {
          request = new CommitRequest();
        }
        request.add(tracker);
      }
    }
    return request;
  }

  /**
   * One commit sent to the broker: the trackers it covers (their identity is the assignment, so an
   * answer that arrives after an assignment ended leaves it alone) and the offsets. As the callback
   * of {@code commitAsync} it runs on the source's thread, inside a consumer call.
   */
  final class CommitRequest implements OffsetCommitCallback {
    final Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    private final List<PartitionTracker> covered = new ArrayList<>(2);

    /** When the current attempt was sent, on System.nanoTime(); set on the source's thread. */
    private long sentAt;

    private void add(PartitionTracker tracker) {
      covered.add(tracker);
      // The leader epoch of the last record covered (KIP-320): the next owner can then tell a
      // log truncated under it from a committed offset that is simply ahead.
      offsets.put(
          tracker.partition(),
          new OffsetAndMetadata(tracker.commitSent(), tracker.committableEpoch(), ""));
    }

    /** The answer to the one asynchronous commit in flight. */
    @Override
    public void onComplete(Map<TopicPartition, OffsetAndMetadata> ignored, Exception error) {
      settle(
          completions -> {
            asyncCommitInFlight = false;
            if (error == null) {
              asyncBackoff.reset();
              acknowledged(completions);
            } else {
              asyncRetryAt = System.nanoTime() + asyncBackoff.refused();
              refused(error, completions);
            }
          });
      report(error, error != null && CommitErrors.retriable(error));
    }

    /**
     * Tells the metrics how this attempt ended: acknowledged ({@code error} null), refused and to
     * be sent again ({@code again}), or failed. Called with no lock held.
     */
    private void report(Exception error, boolean again) {
      long latency = System.nanoTime() - sentAt;
      if (error == null) {
        metrics.commitAcknowledged(offsets.size(), latency);
      } else if (again) {
        metrics.commitRetried(offsets.size(), latency, error);
      } else {
        metrics.commitFailed(offsets.size(), latency, error);
      }
    }

    /** Applies {@code answer} under the lock, then completes the stages it decided. */
    private void settle(java.util.function.Consumer<AfterUnlock> answer) {
      AfterUnlock completions = new AfterUnlock();
      lock.lock();
      try {
        answer.accept(completions);
      } finally {
        lock.unlock();
      }
      state.runCompletions(completions);
    }

    /** Lock held. The broker acknowledged: the stages it covers complete. */
    private void acknowledged(AfterUnlock completions) {
      for (PartitionTracker tracker : covered) {
        if (assignment.owns(tracker)) {
          tracker.acknowledged(offsetOf(tracker), completions);
        }
      }
    }

    /**
     * Lock held. A refusal that retrying cures makes the offsets due again (an asynchronous commit
     * waits its backoff first); any other fails the stages the commit would have covered.
     */
    private void refused(Exception error, AfterUnlock completions) {
      if (!CommitErrors.retriable(error)) {
        failed(error, completions);
        return;
      }
      for (PartitionTracker tracker : covered) {
        if (assignment.owns(tracker)) {
          tracker.forgetSentCommit();
        }
      }
    }

    /** Lock held. The commit failed for good: the stages it would have covered fail. */
    private void failed(Exception error, AfterUnlock completions) {
      for (PartitionTracker tracker : covered) {
        if (assignment.owns(tracker)) {
          tracker.forgetSentCommit();
          tracker.commitFailed(offsetOf(tracker), error, completions);
        }
      }
    }

    private long offsetOf(PartitionTracker tracker) {
      return offsets.get(tracker.partition()).offset();
    }
  }
}
