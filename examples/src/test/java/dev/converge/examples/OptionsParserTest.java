package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OptionsParserTest {

  @Test
  void noFlagsGiveTheDefaults() throws UsageException {
    ServiceOptions options = OptionsParser.parse();

    assertEquals(ServiceOptions.Source.GENERATOR, options.source());
    assertEquals(20_000, options.rate());
    assertEquals(200, options.burst());
    assertEquals(Duration.ofSeconds(10), options.duration());
    assertEquals(42L, options.seed());
    assertEquals(500, options.maxSize());
    assertEquals(Duration.ofMillis(20), options.maxWait());
    assertEquals(2, options.prefetch());
    assertEquals(4, options.concurrency());
    assertEquals(Duration.ofMillis(5), options.priceLatency());
    assertEquals(0.0, options.priceFailureRate());
    assertEquals(Duration.ofMillis(50), options.priceDeadline());
    assertEquals(10_000, options.customers());
    assertEquals(500, options.products());
    assertEquals("jdbc:h2:mem:converge-orders", options.jdbcUrl());
    assertEquals("sa", options.jdbcUser());
    assertEquals("", options.jdbcPassword());
    assertEquals("localhost:9092", options.bootstrapServers());
    assertEquals("orders", options.topic());
    assertEquals("converge-orders", options.group());
    assertEquals(Map.of(), options.kafkaProperties());
    assertEquals(OptionalInt.empty(), options.metricsPort());
  }

  @Test
  void metricsPortServesOnTheGivenPortOrAnyFreeOne() throws UsageException {
    assertEquals(OptionalInt.of(9404), OptionsParser.parse("--metrics-port", "9404").metricsPort());
    assertEquals(OptionalInt.of(0), OptionsParser.parse("--metrics-port", "0").metricsPort());
  }

  @Test
  void metricsPortOutsideTheTcpRangeIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--metrics-port", "65536"));

    assertEquals("--metrics-port must be between 0 and 65535, was 65536", error.getMessage());
  }

  @Test
  void valueMayFollowAsNextArgumentOrAfterEquals() throws UsageException {
    ServiceOptions options = OptionsParser.parse("--rate", "1234", "--burst=7");

    assertEquals(1234, options.rate());
    assertEquals(7, options.burst());
  }

  @Test
  void durationsTakeMillisecondsSecondsAndMinutes() throws UsageException {
    ServiceOptions options =
        OptionsParser.parse(
            "--max-wait",
            "250ms",
            "--duration",
            "1.5s",
            "--price-deadline",
            "2m",
            "--price-latency",
            "0");

    assertEquals(Duration.ofMillis(250), options.maxWait());
    assertEquals(Duration.ofMillis(1500), options.duration());
    assertEquals(Duration.ofMinutes(2), options.priceDeadline());
    assertEquals(Duration.ZERO, options.priceLatency());
  }

  @Test
  void giveUpAfterTakesADurationAndZero() throws UsageException {
    assertEquals(Duration.ofMinutes(5), OptionsParser.parse().giveUpAfter());
    assertEquals(
        Duration.ofSeconds(30), OptionsParser.parse("--give-up-after", "30s").giveUpAfter());
    assertEquals(Duration.ZERO, OptionsParser.parse("--give-up-after", "0").giveUpAfter());
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--give-up-after", "forever"));
    assertTrue(
        error.getMessage().startsWith("--give-up-after must be a duration"), error.getMessage());
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
    UsageException error =
        assertThrows(
            UsageException.class, () -> OptionsParser.parse("--price-failure-rate", "1.5"));

    assertEquals(
        "--price-failure-rate must be a number between 0 and 1, was 1.5", error.getMessage());
  }

  @Test
  void batchLargerThanAnInListAllowsIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--max-size", "10001"));

    assertEquals("--max-size must be between 1 and 10000, was 10001", error.getMessage());
  }

  @Test
  void concurrencyTakesOneToSixtyFour() throws UsageException {
    assertEquals(1, OptionsParser.parse("--concurrency", "1").concurrency());
    assertEquals(64, OptionsParser.parse("--concurrency=64").concurrency());
    UsageException zero =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--concurrency", "0"));
    assertEquals("--concurrency must be between 1 and 64, was 0", zero.getMessage());
    UsageException tooMany =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--concurrency", "65"));
    assertEquals("--concurrency must be between 1 and 64, was 65", tooMany.getMessage());
    UsageException notANumber =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--concurrency", "many"));
    assertTrue(notANumber.getMessage().startsWith("--concurrency"), notANumber.getMessage());
  }

  @Test
  void nonPositiveRateIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--rate", "0"));

    assertEquals("--rate must be between 1 and 2147483647, was 0", error.getMessage());
  }

  @Test
  void jdbcFlagsAreTakenVerbatim() throws UsageException {
    ServiceOptions options =
        OptionsParser.parse(
            "--jdbc-url",
            "jdbc:postgresql://db/orders",
            "--jdbc-user",
            "app",
            "--jdbc-password=s=cret");

    assertEquals("jdbc:postgresql://db/orders", options.jdbcUrl());
    assertEquals("app", options.jdbcUser());
    assertEquals("s=cret", options.jdbcPassword());
  }

  @Test
  void kafkaFlagsSelectTheKafkaSource() throws UsageException {
    ServiceOptions options =
        OptionsParser.parse(
            "--source",
            "kafka",
            "--bootstrap-servers",
            "broker-1:9092,broker-2:9092",
            "--topic=shop-orders",
            "--group",
            "enrichers");

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
    for (String[] args : List.of(new String[] {"--rate", "5", "--help"}, new String[] {"-h"})) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();

      assertEquals(
          Optional.empty(),
          OptionsParser.parse(
              new ServiceOptions(), new PrintStream(out, true, StandardCharsets.UTF_8), args));
      assertTrue(
          out.toString(StandardCharsets.UTF_8).startsWith("Usage: OrderService [FLAGS]"),
          out.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void versionNamesTheExamplesVersion() throws UsageException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertEquals(
        Optional.empty(),
        OptionsParser.parse(
            new ServiceOptions(), new PrintStream(out, true, StandardCharsets.UTF_8), "--version"));
    // Maven writes the version into version.properties; the tests run after that step.
    assertTrue(
        out.toString(StandardCharsets.UTF_8).matches("(?s)Converge examples \\d.*"),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void kafkaPropertiesAreNameValuePairsSplitAtTheFirstEquals() throws UsageException {
    ServiceOptions options =
        OptionsParser.parse(
            "--kafka-property",
            "session.timeout.ms=10000",
            "--kafka-property=sasl.jaas.config=a=b");

    assertEquals(
        Map.of("session.timeout.ms", "10000", "sasl.jaas.config", "a=b"),
        options.kafkaProperties());
  }

  @Test
  void kafkaPropertyWithoutNameOrEqualsIsRejected() {
    UsageException noEquals =
        assertThrows(
            UsageException.class,
            () -> OptionsParser.parse("--kafka-property", "session.timeout.ms"));
    UsageException noName =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--kafka-property", "=10000"));

    assertEquals(
        "--kafka-property must be NAME=VALUE, was 'session.timeout.ms'", noEquals.getMessage());
    assertEquals(
        "--kafka-property must be NAME=VALUE, one has an empty NAME (its value is not shown, as it"
            + " may be a secret)",
        noName.getMessage());
  }

  @Test
  void sourceIgnoresCase() throws UsageException {
    assertEquals(ServiceOptions.Source.KAFKA, OptionsParser.parse("--source", "Kafka").source());
  }

  @Test
  void wholeNumbersMayGroupDigitsWithUnderscores() throws UsageException {
    assertEquals(50_000, OptionsParser.parse("--rate", "50_000").rate());
  }

  @Test
  void numberBeyondAnIntIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--rate", "3000000000"));

    assertEquals("--rate must be at most 2147483647, was 3000000000", error.getMessage());
  }

  @Test
  void durationLongerThanADayIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--duration", "1441m"));

    assertEquals("--duration must be at most a day, was 1441m", error.getMessage());
  }

  @Test
  void failureRateThatIsNoNumberIsRejected() {
    UsageException error =
        assertThrows(
            UsageException.class, () -> OptionsParser.parse("--price-failure-rate", "often"));

    assertEquals("--price-failure-rate must be a number, was 'often'", error.getMessage());
  }

  @Test
  void emptyTopicIsRejected() {
    UsageException error =
        assertThrows(UsageException.class, () -> OptionsParser.parse("--topic", " "));

    assertEquals("--topic must not be empty", error.getMessage());
  }
}
