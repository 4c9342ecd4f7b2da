package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecretValuesTest {

  @Test
  void scrubReplacesEverySecretValueOfTheRunLongestFirst() throws UsageException {
    ServiceOptions options =
        OptionsParser.parse(
            "--jdbc-url",
            "jdbc:postgresql://db/orders?password=url-pw",
            "--jdbc-password=db-pw",
            "--kafka-property",
            "ssl.truststore.password=tru5t",
            "--kafka-property",
            "sasl.jaas.config=x password=\"tru5t-more\";",
            "--kafka-property",
            "session.timeout.ms=10000");

    String scrubbed =
        SecretValues.of(options)
            .scrub(
                "error: db-pw, tru5t, url-pw, x password=\"tru5t-more\";, session.timeout.ms 10000");

    assertEquals(
        "error: [hidden], [hidden], [hidden], [hidden], session.timeout.ms 10000", scrubbed);
  }

  @Test
  void secretThatTheRunShowsOpenlyAnywayIsLeftAlone() throws UsageException {
    String url = "jdbc:postgresql://localhost:5432/orders?user=postgres";
    ServiceOptions options =
        OptionsParser.parse(
            "--jdbc-url", url, "--jdbc-user", "postgres", "--jdbc-password", "postgres");

    String line = "error: gave up on the database at " + url + ": refused";

    assertEquals(line, SecretValues.of(options).scrub(line));
  }

  @Test
  void emptyPasswordIsNothingToScrub() throws UsageException {
    SecretValues secrets = SecretValues.of(OptionsParser.parse());

    assertEquals("error: as it was", secrets.scrub("error: as it was"));
    assertEquals("error: as it was", SecretValues.NONE.scrub("error: as it was"));
  }
}
