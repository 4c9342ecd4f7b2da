package dev.converge;

/** Plays the record the processor generates for a {@code @Join} method {@code enrich(user, count)}. */
record Enriched(String user, Long count) {}
