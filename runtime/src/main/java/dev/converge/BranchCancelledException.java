package dev.converge;

import java.util.concurrent.CancellationException;

/**
 * The {@link CancellationException} a losing {@link java.util.concurrent.CompletableFuture} branch is
 * completed with once a race or join is decided. It carries no stack trace: filling one in for
 * every cancelled loser would cost more than the whole race. The losers of one race or join share
 * one instance.
 */
public final class BranchCancelledException extends CancellationException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public BranchCancelledException() {
    super("cancelled by Converge: the race or join this branch belonged to was already decided");
  }

  /**
   * Returns this exception without filling in a stack trace; see the class documentation.
   *
   * @return this exception
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
