package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsParserTest {

  @Test
  void noFlagsGiveTheDefaults() throws UsageException {
    assertEquals(ServiceOptions.defaults(), OptionsParser.parse());
  }

  @Test
  void valueMayFollowAsNextArgumentOrAfterEquals() throws UsageException {
    ServiceOptions options = OptionsParser.parse("--rate", "1234", "--burst=7");

    assertEquals(1234, options.rate());
    assertEquals(7, options.burst());
  }

  @Test
  void durationsTakeMillisecondsSecondsAndMinutes() throws UsageException {
    ServiceOptions options = OptionsParser.parse(
        "--max-wait", "250ms", "--duration", "1.5s", "--price-deadline", "2m", "--price-latency", "0");

    assertEquals(Duration.ofMillis(250), options.maxWait());
    assertEquals(Duration.ofMillis(1500), options.duration());
    assertEquals(Duration.ofMinutes(2), options.priceDeadline());
    assertEquals(Duration.ZERO, options.priceLatency());
  }

  @Test
  void giveUpAfterTakesADurationAndZero() throws UsageException {
    assertEquals(Duration.ofMinutes(5), OptionsParser.parse().giveUpAfter());
    assertEquals(Duration.ofSeconds(30),
        OptionsParser.parse("--give-up-after", "30s").giveUpAfter());
    assertEquals(Duration.ZERO, OptionsParser.parse("--give-up-after", "0").giveUpAfter());
    UsageException error = assertThrows(UsageException.class,
        () -> OptionsParser.parse("--give-up-after", "forever"));
    assertTrue(error.getMessage().startsWith("--give-up-after must be a duration"),
        error.getMessage());
  }

  @Test
  void durationWithoutUnitIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--max-wait", "20"));

    assertTrue(error.getMessage().startsWith("--max-wait must be a duration"), error.getMessage());
  }

  @Test
  void zeroDurationOfTheRunIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--duration", "0ms"));

    assertEquals("--duration must be longer than 0, was 0ms", error.getMessage());
  }

  @Test
  void failureRateOutsideZeroToOneIsRejected() {
    UsageException error = assertThrows(UsageException.class,
        () -> OptionsParser.parse("--price-failure-rate", "1.5"));

    assertEquals("--price-failure-rate must be a number between 0 and 1, was 1.5",
        error.getMessage());
  }

  @Test
  void batchLargerThanAnInListAllowsIsRejected() {
    UsageException error = assertThrows(UsageException.class,
        () -> OptionsParser.parse("--max-size", "10001"));

    assertEquals("--max-size must be between 1 and 10000, was 10001", error.getMessage());
  }

  @Test
  void nonPositiveRateIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--rate", "0"));

    assertEquals("--rate must be between 1 and 2147483647, was 0", error.getMessage());
  }

  @Test
  void jdbcFlagsAreTakenVerbatim() throws UsageException {
    ServiceOptions options = OptionsParser.parse("--jdbc-url", "jdbc:postgresql://db/orders",
        "--jdbc-user", "app", "--jdbc-password=s=cret");

    assertEquals("jdbc:postgresql://db/orders", options.jdbcUrl());
    assertEquals("app", options.jdbcUser());
    assertEquals("s=cret", options.jdbcPassword());
  }

  @Test
  void kafkaFlagsSelectTheKafkaSource() throws UsageException {
    ServiceOptions options = OptionsParser.parse("--source", "kafka", "--bootstrap-servers",
        "broker-1:9092,broker-2:9092", "--topic=shop-orders", "--group", "enrichers");

    assertEquals(ServiceOptions.Source.KAFKA, options.source());
    assertEquals("broker-1:9092,broker-2:9092", options.bootstrapServers());
    assertEquals("shop-orders", options.topic());
    assertEquals("enrichers", options.group());
  }

  @Test
  void unknownSourceIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--source", "rabbit"));

    assertEquals("--source must be generator or kafka, was 'rabbit'", error.getMessage());
  }

  @Test
  void flagGivenTwiceTakesItsLastValue() throws UsageException {
    assertEquals(9, OptionsParser.parse("--rate", "5", "--rate=9").rate());
  }

  @Test
  void strayArgumentIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--rate", "5", "fast"));

    assertEquals("unexpected argument 'fast'; flags come as --name value", error.getMessage());
  }

  @Test
  void helpIsRecognisedWithOtherFlags() throws UsageException {
    assertTrue(OptionsParser.parse("--rate", "5", "--help").help());
    assertTrue(OptionsParser.parse("-h").help());
  }
}
