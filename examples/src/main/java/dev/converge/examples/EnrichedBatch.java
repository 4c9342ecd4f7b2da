package dev.converge.examples;

import java.util.List;

/**
 * One batch's orders after enrichment, before they are stored: the ones enriched, and the ones
 * rejected because something they name does not exist.
 *
 * @param orders the batch's orders, as they arrived
 * @param enriched the orders that could be enriched, in arrival order
 * @param rejected the orders that could not, with the reason
 * @param origin which price source won the batch's race
 */
record EnrichedBatch(
    List<Order> orders, List<EnrichedOrder> enriched, List<Rejected> rejected, PriceOrigin origin) {

  /**
   * An order the service rejects after reading it.
   *
   * @param order the order
   * @param reason why, in one line
   */
  record Rejected(Order order, String reason) {}

  EnrichedBatch {
    orders = List.copyOf(orders);
    enriched = List.copyOf(enriched);
    rejected = List.copyOf(rejected);
  }
}
