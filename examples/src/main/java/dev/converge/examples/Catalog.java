package dev.converge.examples;

/**
 * The list price of every product, 1..{@code products}: what the pricing service serves and what
 * the fallback cache starts from. Prices are a function of the product id, so both sides agree
 * without sharing state.
 */
final class Catalog {

  private final int products;

  /**
   * Creates the catalog.
   *
   * @param products how many products, with ids 1..products
   */
  Catalog(int products) {
    this.products = products;
  }

  /**
   * Tells whether a product exists.
   *
   * @param productId the product
   * @return whether its id is within 1..products
   */
  boolean contains(long productId) {
    return productId >= 1 && productId <= products;
  }

  /**
   * Returns a product's list price.
   *
   * @param productId a product of the catalog
   * @return its price in cents, between 1.99 and 100.98
   */
  long listPriceCents(long productId) {
    return 199 + (productId * 7919) % 9900;
  }
}
