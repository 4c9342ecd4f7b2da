/**
 * Converge: typed race and join over futures of different types, and a prefetching batch iterator.
 *
 * <p>{@code dev.converge} holds the annotations read by the annotation processor, the result types
 * ({@link dev.converge.Outcome}, {@link dev.converge.AllFailedException}) and the race/join engine
 * ({@link dev.converge.RaceCall}, {@link dev.converge.JoinCall}) that generated code calls. Generated
 * code lives in the user's module, so everything it calls is public API of this exported package.
 * {@code dev.converge.batch} holds the prefetching batch iterator.
 *
 * <p>The module has no dependencies beyond {@code java.base} and owns no threads of its own except
 * those documented by {@link dev.converge.ConvergeExecutors#defaultExecutor()} and
 * {@code dev.converge.batch.Scheduler#system()}.
 */
module dev.converge {
  exports dev.converge;
  exports dev.converge.batch;
  exports dev.converge.internal to
      dev.converge.kafka;
}
