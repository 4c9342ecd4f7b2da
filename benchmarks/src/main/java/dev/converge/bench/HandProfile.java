package dev.converge.bench;

/**
 * The typed join result a user writes by hand when not using Converge. The baseline for the
 * generated {@code Profile}.
 *
 * @param name the name
 * @param count the count
 * @param total the total
 */
public record HandProfile(String name, Integer count, Long total) {}
