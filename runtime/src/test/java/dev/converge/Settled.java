package dev.converge;

/**
 * Plays the record the processor generates for a {@code @Join(SETTLE_ALL)} method
 * {@code settle(user, count)}: each component is an {@link Outcome}.
 */
record Settled(Outcome<String> user, Outcome<Long> count) {}
