package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.util.concurrent.CompletableFuture;

/**
 * The stage returned by one {@code commit} call, waiting for each partition it touched.
 *
 * <p>It completes when the last partition is done (acknowledged, or no longer this member's) and
 * fails at the first partition whose commit failed for good. Guarded by the source's lock; the
 * completion itself is recorded in an {@link AfterUnlock} and carried out after the lock is
 * released, so no user callback ever runs under it.
 */
final class CommitWaiter {

  final CompletableFuture<Void> stage = new CompletableFuture<>();
  private int remaining;
  private boolean failed;

  /** One more partition must be done before the stage completes. */
  void expect() {
    remaining++;
  }

  /** No partition needs waiting for: the stage completes at once (queued). */
  boolean nothingExpected() {
    return remaining == 0;
  }

  /** One partition is done (acknowledged, or no longer this member's). */
  void partitionDone(AfterUnlock completions) {
    if (--remaining == 0 && !failed) {
      completions.complete(stage, null);
    }
  }

  /** One partition's commit failed for good: the stage fails, once. */
  void fail(Throwable error, AfterUnlock completions) {
    remaining--;
    if (!failed) {
      failed = true;
      completions.fail(stage, error);
    }
  }
}
