package shop;

import javax.annotation.processing.Generated;

/**
 * The joined branches of {@link Enrichment#join}: one component per parameter of that
 * method, in order.
 *
 * <p>Rule ({@code @Join(FAIL_FAST)}): every branch must succeed; the first failure fails the
 * join at once.
 *
 * @param call the value {@code call} completed with, possibly {@code null}
 * @param callSlot the value {@code callSlot} completed with, possibly {@code null}
 */
@Generated("dev.converge.processor.ConvergeProcessor")
record Pair(String call, String callSlot) {}
