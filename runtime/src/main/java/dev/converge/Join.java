package dev.converge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an abstract method whose parameters are futures of possibly different types as a join:
 * the Converge annotation processor implements it so that it waits for every branch.
 *
 * <p>For a method returning {@code CompletableFuture<Enriched>} with parameters {@code user} and
 * {@code orders}, the processor generates {@code record Enriched(User user, List<Order> orders)},
 * components in parameter order. With {@link Mode#SETTLE_ALL} each component is an
 * {@link Outcome} instead.
 *
 * @see Race
 * @see JoinCall
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Join {

  /**
   * How failures are handled.
   *
   * @return the join mode, {@link Mode#FAIL_FAST} by default
   */
  Mode value() default Mode.FAIL_FAST;

  /** How a join treats branch failures. */
  enum Mode {
    /**
     * Every branch must succeed, like {@code try_join!} or Reactor's {@code Mono.zip}: the first
     * failure completes the join with that exception at once (unwrapped from
     * {@link java.util.concurrent.CompletionException}) and cancels the other branches.
     */
    FAIL_FAST,

    /**
     * Waits for every branch, like JavaScript's {@code Promise.allSettled}; the join never fails
     * because of a branch, and each component of the result is an {@link Outcome}.
     */
    SETTLE_ALL
  }
}
