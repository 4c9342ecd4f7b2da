package dev.converge.kafka;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;

/** Which commit refusals retrying can cure. */
final class CommitErrors {

  private CommitErrors() {}

  /**
   * True when a later commit of the same offsets may succeed while this member still owns the
   * partition: a coordinator moving or loading, a rebalance in progress, a member epoch (KIP-848)
   * or generation (classic) that a rebalance has since replaced. Authorization, a fenced static
   * member, a bad request or an interrupt are final.
   */
  static boolean retriable(Throwable error) {
    if (error instanceof AuthorizationException
        || error instanceof AuthenticationException
        || error instanceof FencedInstanceIdException
        || error instanceof InvalidGroupIdException
        || error instanceof OffsetMetadataTooLarge
        || error instanceof UnsupportedVersionException
        || error instanceof InterruptException) {
      return false;
    }
    return error instanceof RetriableException
        || error instanceof WakeupException
        || error instanceof RebalanceInProgressException
        || error instanceof StaleMemberEpochException
        || error instanceof CommitFailedException
        || error instanceof UnknownMemberIdException
        || error instanceof IllegalGenerationException
        || error instanceof KafkaException && error.getCause() instanceof RetriableException;
  }

  /**
   * True for refusals that say the member's generation or epoch is not the one the coordinator
   * holds. In a synchronous commit (a rebalance callback, close) they are ambiguous: under
   * KIP-848 {@code commitSync} reports a stale member epoch as a {@link CommitFailedException},
   * which a retry with the epoch the consumer has since received cures; under the classic
   * protocol the same exception means the member has already lost its partitions, and no retry
   * can succeed. So such refusals are retried only a few times there.
   */
  static boolean generationRefused(Throwable error) {
    return error instanceof CommitFailedException
        || error instanceof UnknownMemberIdException
        || error instanceof IllegalGenerationException
        || error instanceof StaleMemberEpochException;
  }

  /**
   * True when a sink's transactional offset commit was refused because the group moved on (its
   * generation or member epoch, the member itself, or a rebalance in progress), also when the
   * producer reports it later, wrapped, from {@code commitTransaction}. A fenced static member is
   * not one of them: no rebalance cures it.
   */
  static boolean groupRefusedTransaction(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (generationRefused(cause) || cause instanceof RebalanceInProgressException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
