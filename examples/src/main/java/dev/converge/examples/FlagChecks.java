package dev.converge.examples;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The limits a flag's type does not say (a rate of at least 1, a batch of at most 10,000), checked
 * once picocli has read the whole command line. A failed check throws picocli's
 * {@link ParameterException} with the one line the user sees: the flag, what it accepts, and the
 * value as it was typed.
 */
final class FlagChecks {

  /** Options with such limits; {@link OptionsParser} checks them after picocli has set them. */
  interface Checked {

    /**
     * Checks every limit of these options.
     *
     * @param checks the checks, bound to the command line just read
     * @throws ParameterException naming the first flag whose value is out of its range
     */
    void check(FlagChecks checks);
  }

  private final CommandLine commandLine;

  /**
   * Creates the checks for a command line that has been read.
   *
   * @param commandLine its values are the ones checked; its errors name it
   */
  FlagChecks(CommandLine commandLine) {
    this.commandLine = commandLine;
  }

  /** {@code min <= value <= max}: "--max-size must be between 1 and 10000, was 10001". */
  void between(String flag, long value, long min, long max) {
    if (value < min || value > max) {
      throw fail(flag, "must be between " + min + " and " + max + ", was " + typed(flag, value));
    }
  }

  /** At least 1: "--rate must be between 1 and 2147483647, was 0". */
  void positive(String flag, int value) {
    between(flag, value, 1, Integer.MAX_VALUE);
  }

  /** Longer than 0: "--duration must be longer than 0, was 0ms". */
  void positive(String flag, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw fail(flag, "must be longer than 0, was " + typed(flag, value));
    }
  }

  /** From 0 to 1: "--price-failure-rate must be a number between 0 and 1, was 1.5". */
  void fraction(String flag, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw fail(flag, "must be a number between 0 and 1, was " + typed(flag, value));
    }
  }

  /** Not empty or only white space: "--topic must not be empty". */
  void notBlank(String flag, String value) {
    if (value.isBlank()) {
      throw fail(flag, "must not be empty");
    }
  }

  /**
   * Every name non-empty: "--kafka-property must be NAME=VALUE, one has an empty NAME (its value is
   * not shown, as it may be a secret)". (picocli reads NAME=VALUE into a map itself, and lets an
   * empty NAME through; without the name, the secret-key rule cannot tell whether to mask the
   * value, so the message never quotes it.)
   */
  void namedValues(String flag, Map<String, String> values) {
    for (Map.Entry<String, String> value : values.entrySet()) {
      if (value.getKey().isBlank()) {
        throw fail(
            flag,
            "must be NAME=VALUE, one has an empty NAME (its value is not shown, as it may be a"
                + " secret)");
      }
    }
  }

  /** A rule between flags: "--sink kafka needs --source kafka". */
  void require(boolean condition, String flag, String problem) {
    if (!condition) {
      throw fail(flag, problem);
    }
  }

  private ParameterException fail(String flag, String problem) {
    return new ParameterException(commandLine, flag + " " + problem);
  }

  /** The text the user gave for the flag: "was 0ms" quotes them, not Duration's "PT0S". */
  private String typed(String flag, Object value) {
    List<String> given = commandLine.getCommandSpec().findOption(flag).originalStringValues();
    return given.isEmpty() ? String.valueOf(value) : given.get(given.size() - 1);
  }
}
