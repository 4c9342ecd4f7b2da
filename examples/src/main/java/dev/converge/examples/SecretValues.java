package dev.converge.examples;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The secret values one run was given: the database password, and the values of its secret
 * {@code --kafka-property} settings and JDBC URL parameters (as {@link SecretKeys} tells them).
 * {@link #scrub} takes them out of a line before it is printed: an error's text comes from a
 * driver or a client library, which may quote what it was given.
 *
 * <p>A secret that is part of what the run shows openly anyway (its JDBC URL, user, brokers, topic,
 * group or other settings) is left alone: the password {@code postgres} of the user {@code
 * postgres} on {@code jdbc:postgresql://...} is printed as the user's name and in the URL whatever
 * is done here, and scrubbing it would only garble every line that names the database.
 */
final class SecretValues {

  /** No secrets: scrubbing changes nothing. */
  static final SecretValues NONE = new SecretValues(Set.of(), "");

  /** Longest first, so that a secret containing another is replaced whole. */
  private final List<String> values;

  private SecretValues(Set<String> values, String shown) {
    this.values =
        values.stream()
            .filter(value -> !value.isEmpty() && !shown.contains(value))
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  /**
   * Collects the secrets of a command line.
   *
   * @param options the command line, its password read
   * @return its secrets
   */
  static SecretValues of(ServiceOptions options) {
    Set<String> values = new HashSet<>(SecretKeys.secretsOfJdbcUrl(options.jdbcUrl()));
    values.add(options.jdbcPassword());
    options
        .kafkaProperties()
        .forEach(
            (name, value) -> {
              if (SecretKeys.isSecret(name)) {
                values.add(value);
              }
            });
    String shown =
        String.join(
            "\n",
            options.jdbcUrlShown(),
            options.jdbcUser(),
            options.bootstrapServers(),
            options.topic(),
            options.group(),
            SecretKeys.describe(options.kafkaProperties()));
    return new SecretValues(values, shown);
  }

  /**
   * Replaces every secret value in {@code text} by {@link SecretKeys#MASK}.
   *
   * @param text a line about to be printed
   * @return the line without the secrets
   */
  String scrub(String text) {
    String scrubbed = text;
    for (String value : values) {
      scrubbed = scrubbed.replace(value, SecretKeys.MASK);
    }
    return scrubbed;
  }
}
