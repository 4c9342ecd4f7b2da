package dev.converge.bench;

/**
 * The typed race result a user writes by hand when not using Converge: one record per lookup, so the
 * winner can be told apart by type. The baseline for the generated {@code Fastest}.
 */
public sealed interface HandFastest permits HandFastest.Name, HandFastest.Count, HandFastest.Total {

  /**
   * The name lookup won.
   *
   * @param value its value
   */
  record Name(String value) implements HandFastest {}

  /**
   * The count lookup won.
   *
   * @param value its value
   */
  record Count(Integer value) implements HandFastest {}

  /**
   * The total lookup won.
   *
   * @param value its value
   */
  record Total(Long value) implements HandFastest {}
}
