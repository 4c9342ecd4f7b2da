/**
 * The prefetching batch iterator: turns an unbounded, bursty stream into batches bounded in size
 * ({@code maxSize}) and in waiting time ({@code maxWait}), assembles the next batches while the
 * consumer processes the current one, applies backpressure, and loses nothing on error,
 * cancellation or close.
 */
package dev.converge.batch;
