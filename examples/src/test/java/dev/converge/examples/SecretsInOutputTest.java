package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The service's own output never shows a secret: the start line and the error line of runs given
 * Kafka security settings, a JDBC URL with a password, and a password in the environment.
 */
class SecretsInOutputTest {

  private static final String JAAS_SECRET = "jaas-s3cret-4711";
  private static final String TRUSTSTORE_SECRET = "truststore-s3cret-4712";
  private static final String URL_SECRET = "url-s3cret-4713";
  private static final String ENVIRONMENT_SECRET = "env-s3cret-4714";

  /**
   * A Kafka run whose consumer cannot be made (its truststore does not exist): the start line is
   * printed, then the error. No broker is needed; the database is the in-memory H2 one.
   */
  @Test
  void kafkaSecretsAreMaskedOnTheStartLineAndInTheErrorWhileOtherSettingsAreShown() {
    String[] args = {
      "--source",
      "kafka",
      "--bootstrap-servers",
      "127.0.0.1:1",
      "--customers",
      "10",
      "--kafka-property",
      "security.protocol=SASL_SSL",
      "--kafka-property",
      "sasl.mechanism=PLAIN",
      "--kafka-property",
      "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"orders\" password=\""
          + JAAS_SECRET
          + "\";",
      "--kafka-property",
      "ssl.truststore.location=/nonexistent/truststore.jks",
      "--kafka-property",
      "ssl.truststore.password=" + TRUSTSTORE_SECRET,
      "--kafka-property",
      "session.timeout.ms=10000"
    };

    Output run = run(Map.of(), args);

    assertEquals(OrderService.FAILED, run.code(), run.err());
    String startLine = run.out().lines().findFirst().orElse("");
    assertTrue(startLine.startsWith("run kafka:orders: orders from topic orders"), run.out());
    for (String shown :
        List.of(
            "sasl.jaas.config=[hidden]",
            "ssl.truststore.password=[hidden]",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=PLAIN",
            "ssl.truststore.location=/nonexistent/truststore.jks",
            "session.timeout.ms=10000")) {
      assertTrue(startLine.contains(shown), shown + " in: " + startLine);
    }
    assertTrue(
        run.err().startsWith("error: cannot create a Kafka consumer for 127.0.0.1:1: "), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertNoSecret(run, JAAS_SECRET, TRUSTSTORE_SECRET);
  }

  @Test
  void passwordInTheJdbcUrlIsMaskedInTheError() {
    String url = "jdbc:nosuchdatabase://db/orders?user=app&password=" + URL_SECRET;

    Output run = run(Map.of(), "--jdbc-url", url);

    assertEquals(OrderService.FAILED, run.code(), run.err());
    assertEquals(
        "error: cannot connect to the database at"
            + " jdbc:nosuchdatabase://db/orders?user=app&password=[hidden]:"
            + " no JDBC driver on the classpath takes this URL",
        run.err().strip());
    assertNoSecret(run, URL_SECRET);
  }

  @Test
  void passwordFromTheEnvironmentIsNeitherPrintedNorWarnedAbout() {
    Output run =
        run(
            Map.of(JdbcPassword.ENVIRONMENT_VARIABLE, ENVIRONMENT_SECRET),
            "--jdbc-url",
            "jdbc:h2:tcp://127.0.0.1:1/orders",
            "--give-up-after",
            "0");

    assertEquals(OrderService.FAILED, run.code(), run.err());
    assertTrue(run.err().startsWith("error: "), run.err());
    assertEquals(1, run.err().lines().count(), "no warning: " + run.err());
    assertNoSecret(run, ENVIRONMENT_SECRET);
  }

  @Test
  void passwordFlagWarnsOnceBeforeTheRunAndIsNotPrinted() {
    Output run =
        run(
            Map.of(),
            "--jdbc-password",
            ENVIRONMENT_SECRET,
            "--jdbc-url",
            "jdbc:h2:tcp://127.0.0.1:1/orders",
            "--give-up-after",
            "0");

    assertEquals(OrderService.FAILED, run.code(), run.err());
    List<String> lines = run.err().lines().toList();
    assertEquals(2, lines.size(), run.err());
    assertEquals(JdbcPassword.WARNING, lines.get(0));
    assertTrue(lines.get(1).startsWith("error: "), run.err());
    assertNoSecret(run, ENVIRONMENT_SECRET);
  }

  private static void assertNoSecret(Output run, String... secrets) {
    for (String secret : secrets) {
      assertFalse(
          run.out().contains(secret), secret + " printed on standard output:\n" + run.out());
      assertFalse(run.err().contains(secret), secret + " printed on standard error:\n" + run.err());
    }
  }

  private record Output(int code, String out, String err) {}

  private static Output run(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          OrderService.run(args, outStream, errStream, environment::get, new CompletableFuture<>());
    }
    return new Output(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
