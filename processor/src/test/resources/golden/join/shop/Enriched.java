package shop;

import java.util.List;
import javax.annotation.processing.Generated;

/**
 * The joined branches of {@link Enrichment#enrich}: one component per parameter of that
 * method, in order.
 *
 * <p>Rule ({@code @Join(FAIL_FAST)}): every branch must succeed; the first failure fails the
 * join at once.
 *
 * @param user the value {@code user} completed with, possibly {@code null}
 * @param orders the value {@code orders} completed with, possibly {@code null}
 */
@Generated("dev.converge.processor.ConvergeProcessor")
record Enriched(User user, List<Order> orders) {}
