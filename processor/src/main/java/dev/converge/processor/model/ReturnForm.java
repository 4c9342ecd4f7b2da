package dev.converge.processor.model;

/** How a generated method hands its result to the caller. */
public enum ReturnForm {
  /** Returns {@code CompletableFuture<R>}; never blocks. */
  COMPLETABLE_FUTURE,
  /** Returns {@code CompletionStage<R>}; never blocks. */
  COMPLETION_STAGE,
  /** Returns {@code R} itself, waiting for it; declares {@code throws InterruptedException}. */
  BLOCKING
}
