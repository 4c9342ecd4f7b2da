package dev.converge.examples;

/**
 * One incoming order, as the producer emits it.
 *
 * @param id the order's id, unique within a run and increasing from 1 in production order
 * @param customerId the customer who placed it
 * @param productId the product ordered
 * @param quantity how many units
 * @param arrivalNanos when it arrived, on the {@link System#nanoTime()} clock; latency is measured
 *     from here to the commit of the batch that holds it
 */
record Order(long id, long customerId, long productId, int quantity, long arrivalNanos) {}
