package shop;

import javax.annotation.processing.Generated;

/**
 * The joined branches of {@link Outer.Lookups#both}: one component per parameter of that
 * method, in order.
 *
 * <p>Rule ({@code @Join(FAIL_FAST)}): every branch must succeed; the first failure fails the
 * join at once.
 *
 * @param left the value {@code left} completed with, possibly {@code null}
 * @param right the value {@code right} completed with, possibly {@code null}
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public record Both(String left, Integer right) {}
