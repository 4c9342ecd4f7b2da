package shop;

import dev.converge.Outcome;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * The joined branches of {@link Enrichment#settle}: one component per parameter of that
 * method, in order.
 *
 * <p>Rule ({@code @Join(SETTLE_ALL)}): waits for every branch and keeps each one's outcome;
 * a failing branch never fails the join.
 *
 * @param user the outcome of {@code user}: its value or its failure
 * @param orders the outcome of {@code orders}: its value or its failure
 */
@Generated("dev.converge.processor.ConvergeProcessor")
record Settled(Outcome<? extends User> user, Outcome<List<Order>> orders) {}
