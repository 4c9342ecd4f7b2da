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
   * partition: a coordinator moving or loading, a rebalance in progress, a member epoch (KIP-848) or
   * generation (classic) that a rebalance has since replaced. Authorization, a fenced static member,
   * a bad request or an interrupt are final.
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
   * True when retrying inside a rebalance callback can help: the member still holds its generation
   * or epoch. A classic member told its generation is gone ({@link CommitFailedException}) has lost
   * the partitions already; retrying until a deadline would only stall the rebalance.
   */
  static boolean retriableWhileRevoking(Throwable error) {
    return retriable(error)
        && !(error instanceof CommitFailedException)
        && !(error instanceof UnknownMemberIdException)
        && !(error instanceof IllegalGenerationException);
  }
}
