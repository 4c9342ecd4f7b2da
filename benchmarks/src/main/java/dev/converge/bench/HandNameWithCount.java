package dev.converge.bench;

/**
 * The typed two-value join result a user writes by hand when not using Converge. The baseline for
 * the generated {@code NameWithCount}.
 *
 * @param name the name
 * @param count the count
 */
public record HandNameWithCount(String name, Integer count) {}
