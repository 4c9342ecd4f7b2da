package dev.converge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an abstract method whose parameters are futures of possibly different types as a race:
 * the Converge annotation processor implements it so that the first branch to decide wins.
 *
 * <p>For a method returning {@code CompletableFuture<UserSource>} with parameters {@code cache} and
 * {@code db}, the processor generates a sealed interface {@code UserSource} with one record per
 * parameter ({@code UserSource.Cache}, {@code UserSource.Db}); the winning branch's value is wrapped
 * in its record. Once the race is decided every branch still running is cancelled, except parameters
 * marked {@link Keep}.
 *
 * @see Join
 * @see RaceCall
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Race {

  /**
   * Which branch wins the race.
   *
   * @return the race mode, {@link Mode#FIRST_COMPLETED} by default
   */
  Mode value() default Mode.FIRST_COMPLETED;

  /** How a race is decided. */
  enum Mode {
    /**
     * The first branch to complete decides, like {@code tokio::select!}: a success gives its
     * variant, a failure completes the race exceptionally with that branch's exception (unwrapped
     * from {@link java.util.concurrent.CompletionException}).
     */
    FIRST_COMPLETED,

    /**
     * The first branch to succeed wins, like Reactor's {@code Mono.firstWithValue}; failures are
     * ignored until every branch has failed, and then the race fails with an
     * {@link AllFailedException} carrying each branch's failure as suppressed, in parameter order.
     */
    FIRST_SUCCESS
  }
}
