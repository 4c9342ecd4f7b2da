package dev.converge.processor.model;

/** How a parameter of a {@code @Race} or {@code @Join} method becomes a running branch. */
public enum BranchKind {
  /** A {@code CompletionStage<T>} or {@code CompletableFuture<T>} the caller already started. */
  STAGE("stage"),
  /** A {@code Callable<T>} the engine runs on its executor. */
  CALLABLE("callable"),
  /** A {@code Supplier} of a stage, called by the engine on the calling thread. */
  SUPPLIER("supplier");

  private final String engineMethod;

  BranchKind(String engineMethod) {
    this.engineMethod = engineMethod;
  }

  /**
   * Returns the name of the {@code RaceCall}/{@code JoinCall} method that attaches this kind.
   *
   * @return {@code stage}, {@code callable} or {@code supplier}
   */
  public String engineMethod() {
    return engineMethod;
  }
}
