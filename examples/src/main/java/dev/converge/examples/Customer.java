package dev.converge.examples;

/**
 * A customer row, as loaded from the {@code customers} table.
 *
 * @param id the customer's id
 * @param name the customer's name
 * @param discountPercent the discount this customer gets on every order, 0..100
 */
public record Customer(long id, String name, int discountPercent) {}
