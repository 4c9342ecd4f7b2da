package dev.converge.examples;

import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Unit prices in cents, by product id, for the products of one batch.
 *
 * @param centsByProduct the price of each product; unmodifiable
 */
public record Prices(Map<Long, Long> centsByProduct) {

  /**
   * Takes an unmodifiable copy of the map.
   *
   * @param centsByProduct the price of each product
   */
  public Prices {
    centsByProduct = Map.copyOf(centsByProduct);
  }

  /**
   * Returns the unit price of one product.
   *
   * @param productId the product
   * @return its unit price in cents
   * @throws NoSuchElementException if these prices do not cover the product
   */
  public long centsFor(long productId) {
    Long cents = centsByProduct.get(productId);
    if (cents == null) {
      throw new NoSuchElementException("no price for product " + productId);
    }
    return cents;
  }
}
