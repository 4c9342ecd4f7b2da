package dev.converge.examples;

/**
 * An order with its customer and price: one row of {@code enriched_orders}.
 *
 * @param order the order as it arrived
 * @param customerName the customer's name
 * @param unitPriceCents the product's unit price
 * @param totalCents what the customer pays: quantity times unit price, less the customer's discount
 * @param origin whether the price came from the pricing service or the fallback cache
 */
record EnrichedOrder(
    Order order, String customerName, long unitPriceCents, long totalCents, PriceOrigin origin) {

  /**
   * Enriches one order.
   *
   * @param order the order
   * @param customer its customer
   * @param prices its batch's prices
   * @return the enriched order
   */
  static EnrichedOrder of(Order order, Customer customer, ResolvedPrices prices) {
    long unit = prices.prices().centsFor(order.productId());
    long gross = unit * order.quantity();
    long total = gross - gross * customer.discountPercent() / 100;
    return new EnrichedOrder(order, customer.name(), unit, total, prices.origin());
  }
}
