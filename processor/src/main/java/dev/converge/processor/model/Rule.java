package dev.converge.processor.model;

/** The combining rule of a method: its annotation and that annotation's mode. */
public enum Rule {
  /** {@code @Race(FIRST_COMPLETED)}. */
  FIRST_COMPLETED(
      true,
      "firstCompleted",
      "the first branch to complete decides, with its value or its failure"),
  /** {@code @Race(FIRST_SUCCESS)}. */
  FIRST_SUCCESS(
      true,
      "firstSuccess",
      "the first branch to succeed wins; only when every branch has failed does the race fail, with"
          + " an {@code AllFailedException} holding each failure"),
  /** {@code @Join(FAIL_FAST)}. */
  FAIL_FAST(
      false, "failFast", "every branch must succeed; the first failure fails the join at once"),
  /** {@code @Join(SETTLE_ALL)}. */
  SETTLE_ALL(
      false,
      "settleAll",
      "waits for every branch and keeps each one's outcome; a failing branch never fails the join");

  private final boolean race;
  private final String factory;
  private final String description;

  Rule(boolean race, String factory, String description) {
    this.race = race;
    this.factory = factory;
    this.description = description;
  }

  /**
   * Tells whether this is a race rule.
   *
   * @return {@code true} for {@code @Race}, {@code false} for {@code @Join}
   */
  public boolean isRace() {
    return race;
  }

  /**
   * Returns the annotation's simple name, for messages and Javadoc.
   *
   * @return {@code Race} or {@code Join}
   */
  public String annotation() {
    return race ? "Race" : "Join";
  }

  /**
   * Returns the name of the {@code RaceCall}/{@code JoinCall} factory method for this rule.
   *
   * @return e.g. {@code firstCompleted}
   */
  public String factory() {
    return factory;
  }

  /**
   * Returns the rule in words, a Javadoc fragment for generated code.
   *
   * @return e.g. "the first branch to complete decides, with its value or its failure"
   */
  public String description() {
    return description;
  }
}
