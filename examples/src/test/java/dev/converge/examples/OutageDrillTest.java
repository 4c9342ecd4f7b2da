package dev.converge.examples;

import static dev.converge.examples.StoredOrders.count;
import static dev.converge.examples.StoredOrders.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.fixtures.kafka.KafkaBroker;
import dev.converge.fixtures.kafka.RestartableKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's outage drill in one run: two members of a group consume a topic of orders into
 * PostgreSQL while, one after the other and each at a point of progress, the Kafka broker is killed
 * and started again, PostgreSQL is stopped and started again, and one member (a JVM of its own) is
 * killed with {@code destroyForcibly} and a new member process started in its place. Every order is
 * stored exactly once, the group commits the whole topic, and the other member never exits: only
 * the killed member needed a restart. Each outage's resume time is printed and bounded.
 *
 * <p>{@code -Dconverge.drill.orders=N} sets how many orders (default 20,000: 55 to 115 s on a
 * loaded 2-core machine); examples/README.md, section "Operations", has the 200,000-order command
 * and its figures.
 */
class OutageDrillTest {

  private static final int ORDERS = Integer.getInteger("converge.drill.orders", 20_000);
  private static final int PARTITIONS = 4;

  /** From the broker's return until every partition commits again, on a loaded machine. */
  private static final Duration BROKER_RESUMES_WITHIN = Duration.ofSeconds(30);

  /** From PostgreSQL's return until both members report it back and every partition commits. */
  private static final Duration DATABASE_RESUMES_WITHIN = Duration.ofSeconds(20);

  /**
   * From the kill until every partition commits again: the killed member's partitions move once
   * its session (6 s, the broker's minimum) expires.
   */
  private static final Duration MEMBER_RESUMES_WITHIN = Duration.ofSeconds(45);

  /** The longest any one stretch of consuming may take: generous, and longer for more orders. */
  private static final Duration PROGRESS_WAIT = Duration.ofSeconds(90 + ORDERS / 500);

  @TempDir Path directory;

  private final List<String> timeline = new ArrayList<>();
  private long startNanos;

  @Test
  void twoMembersRideThroughBrokerDatabaseAndMemberOutagesStoringEveryOrderOnce() throws Exception {
    startNanos = System.nanoTime();
    try (RestartableKafkaBroker broker = RestartableKafkaBroker.start();
        RestartablePostgres postgres =
            RestartablePostgres.start(Files.createDirectories(directory.resolve("postgres")));
        Admin admin = broker.admin()) {
      note("broker and PostgreSQL up");
      OrderTopic topic =
          OrderTopic.create(
              admin, broker.bootstrapServers(), KafkaBroker.unique("orders"), PARTITIONS);
      try {
        drill(broker, postgres, topic);
      } finally {
        System.out.println("outage drill, " + ORDERS + " orders:\n" + String.join("\n", timeline));
      }
    }
  }

  private void drill(RestartableKafkaBroker broker, RestartablePostgres postgres, OrderTopic topic)
      throws Exception {
    String group = KafkaBroker.unique("enrichers");
    String db = postgres.newDatabase();
    List<String> args = memberArgs(broker.bootstrapServers(), topic.name(), group, db);
    ByteArrayOutputStream aOutput = new ByteArrayOutputStream();
    CompletableFuture<Void> stopA = new CompletableFuture<>();
    CompletableFuture<ServiceMetrics.Snapshot> a = ServiceMembers.inProcess(args, aOutput, stopA);
    Path bOutput = directory.resolve("member-b.txt");
    Path cOutput = directory.resolve("member-c.txt");
    Process b = ServiceMembers.childJvm(args, bOutput);
    Process c = null;
    Members members = new Members(aOutput, bOutput);
    try {
      Await.until(
          PROGRESS_WAIT,
          () -> topic.membersWithPartitions(group) == 2,
          () -> "A and B share the partitions; " + members.printed());
      note("members A (in this JVM) and B (a JVM of its own) share the partitions");
      // Written once both consume: neither has the topic to itself for a while.
      topic.write(ORDERS, 17);
      Map<TopicPartition, Long> ends = topic.endOffsets();
      assertEquals(ORDERS, ends.values().stream().mapToLong(Long::longValue).sum());
      note(String.format(Locale.ROOT, "%,d orders written to %d partitions", ORDERS, PARTITIONS));

      // 1. The broker: killed (SIGKILL, no controlled shutdown) and started again.
      awaitStored(db, ORDERS * 10L / 100, members);
      long storedAtBrokerKill = stored(db);
      broker.kill();
      note(String.format(Locale.ROOT, "broker killed at %,d orders stored", storedAtBrokerKill));
      broker.startAgain(topic.name());
      note("broker serves again");
      long brokerBack = System.nanoTime();
      Map<TopicPartition, Long> atBrokerReturn = topic.committed(group);
      long storedAtBrokerReturn = stored(db);
      Await.until(
          BROKER_RESUMES_WITHIN,
          () ->
              (stored(db) > storedAtBrokerReturn || stored(db) == ORDERS)
                  && topic.everyPartitionMoved(group, atBrokerReturn, ends),
          () -> "the members store and commit on every partition again; " + members.printed());
      long brokerResume = millisSince(brokerBack);
      note("every partition stored and committed again, " + brokerResume + " ms after its return");
      assertFalse(a.isDone() || !b.isAlive(), "no member exits; " + members.printed());

      // 2. PostgreSQL: stopped (fast shutdown) and, once both members report it, held down.
      awaitStored(db, ORDERS * 30L / 100, members);
      long storedAtDatabaseStop = stored(db);
      Map<String, Set<TopicPartition>> beforeDatabaseStop = topic.assignments(group);
      postgres.stop();
      note(
          String.format(
              Locale.ROOT, "PostgreSQL stopped at %,d orders stored", storedAtDatabaseStop));
      String unreachable = "outage: the database at " + db + " is unreachable: ";
      Await.until(
          Duration.ofSeconds(60),
          () -> members.a().contains(unreachable) && members.b().contains(unreachable),
          () -> "both members report the outage; " + members.printed());
      note("both members report the outage");
      // Real time in an outside system: PostgreSQL stays down for longer than the group's session
      // timeout (6 s), so a member that stopped polling while it waits would lose its partitions.
      LockSupport.parkNanos(Duration.ofSeconds(8).toNanos());
      assertFalse(a.isDone() || !b.isAlive(), "no member exits; " + members.printed());
      postgres.restart();
      note("PostgreSQL started again");
      long databaseBack = System.nanoTime();
      Map<TopicPartition, Long> atDatabaseReturn = topic.committed(group);
      String over = "outage over: the database at " + db + " is back after ";
      Await.until(
          DATABASE_RESUMES_WITHIN,
          () ->
              members.a().contains(over)
                  && members.b().contains(over)
                  && topic.everyPartitionMoved(group, atDatabaseReturn, ends),
          () -> "both members resume and every partition commits again; " + members.printed());
      long databaseResume = millisSince(databaseBack);
      note(
          "both members report the database back (after "
              + outageSeconds(members.a(), over)
              + " s and "
              + outageSeconds(members.b(), over)
              + " s), every partition committed again, "
              + databaseResume
              + " ms after its return");
      assertEquals(
          beforeDatabaseStop,
          topic.assignments(group),
          "the same members hold the same partitions: nobody left the group or was evicted");

      // 3. Member B: killed (kill -9: no commit, no leaving the group); C started in its place.
      awaitStored(db, ORDERS * 50L / 100, members);
      long storedAtKill = stored(db);
      b.destroyForcibly();
      assertTrue(b.waitFor(30, TimeUnit.SECONDS), "member B is gone");
      long killed = System.nanoTime();
      // Read once B is gone: a commit B sent just before the kill must not count as a move.
      Map<TopicPartition, Long> atKill = topic.committed(group);
      note(String.format(Locale.ROOT, "member B killed at %,d orders stored", storedAtKill));
      assertTrue(
          storedAtBrokerKill < ORDERS && storedAtDatabaseStop < ORDERS && storedAtKill < ORDERS,
          "every outage came mid-stream; " + String.join("\n", timeline));
      c = ServiceMembers.childJvm(args, cOutput);
      note("member C started in B's place");
      Await.until(
          MEMBER_RESUMES_WITHIN,
          () -> topic.everyPartitionMoved(group, atKill, ends),
          () -> "every partition commits again; " + members.printed());
      long memberResume = millisSince(killed);
      note("every partition committed again, " + memberResume + " ms after the kill");

      Await.until(
          PROGRESS_WAIT,
          () -> stored(db) == ORDERS && topic.committed(group).equals(ends),
          () ->
              "A and C store and commit the rest; " + members.printed() + "\nC: " + read(cOutput));
      note("every order stored, the group committed to the end of every partition");
      assertFalse(a.isDone(), "member A never exited: " + members.a());
      assertTrue(c.isAlive(), "member C runs: " + read(cOutput));

      stopA.complete(null);
      ServiceMetrics.Snapshot aTotals = a.get(60, TimeUnit.SECONDS);
      c.destroy(); // SIGTERM: ends the run as the end of --duration does, with the report
      assertTrue(c.waitFor(60, TimeUnit.SECONDS), "member C stops: " + read(cOutput));
      String cPrinted = read(cOutput);
      long rows = count(db, "SELECT COUNT(*) FROM enriched_orders");
      long distinct = count(db, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders");
      note(
          String.format(
              Locale.ROOT,
              "A and C shut down cleanly; %,d rows, %,d distinct order ids: %,d duplicates,"
                  + " %,d missing; A consumed %,d orders (%d outages), C %s; restarted: the"
                  + " broker, PostgreSQL and member B (as C) only",
              rows,
              distinct,
              rows - distinct,
              ORDERS - distinct,
              aTotals.committed(),
              aTotals.outages(),
              reported(cPrinted, "orders consumed")));

      StoredOrders.assertExactlyOnce(db, ORDERS);
      assertEquals(ends, topic.committed(group), "the group committed every partition's end");
      // A reports the broker's outage only if it had a commit to make while the broker was away
      // (it almost always has: the broker dies mid-stream), so that one is counted, not required.
      long brokerOutages = lines(members.a(), "outage: the Kafka cluster at ");
      assertEquals(1, lines(members.a(), "outage: the database at "), "A: " + members.a());
      assertTrue(brokerOutages <= 1, "A saw the broker outage at most once: " + members.a());
      assertEquals(brokerOutages, lines(members.a(), "outage over: the Kafka cluster at "));
      assertEquals(1 + brokerOutages, aTotals.outages(), "A's report counts both: " + members.a());
      assertTrue(cPrinted.contains("done"), "C printed its report: " + cPrinted);
      assertTrue(brokerResume < BROKER_RESUMES_WITHIN.toMillis());
      assertTrue(databaseResume < DATABASE_RESUMES_WITHIN.toMillis());
      assertTrue(memberResume < MEMBER_RESUMES_WITHIN.toMillis());
    } finally {
      stopA.complete(null);
      b.destroyForcibly();
      if (c != null) {
        c.destroyForcibly();
      }
    }
  }

  private static List<String> memberArgs(
      String bootstrapServers, String topic, String group, String db) {
    List<String> args = ServiceMembers.kafkaToPostgres(bootstrapServers, topic, group, db);
    args.addAll(
        List.of(
            "--sink",
            "jdbc",
            // The broker's minimum session: a killed member's partitions move after 6 s.
            "--kafka-property",
            "session.timeout.ms=6000",
            "--kafka-property",
            "heartbeat.interval.ms=500",
            // Small fetches: a member holds little beyond its batches, so a broker outage stops it
            // rather than being bridged by records it fetched before (up to 1 MiB a partition).
            "--kafka-property",
            "max.partition.fetch.bytes=16384",
            // Small batches, two at a time, and a slow pricing service: the run lasts long enough
            // to be interrupted three times.
            "--max-size",
            "50",
            "--concurrency",
            "2",
            "--price-latency",
            "20ms",
            "--duration",
            "30m"));
    return args;
  }

  private void awaitStored(String db, long atLeast, Members members) throws Exception {
    Await.until(
        PROGRESS_WAIT,
        () -> stored(db) >= atLeast,
        () -> "the members store " + atLeast + " orders; " + members.printed());
  }

  private void note(String event) {
    timeline.add(
        String.format(Locale.ROOT, "  %6.1f s  %s", (System.nanoTime() - startNanos) / 1e9, event));
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  /** How many of {@code output}'s lines start with {@code prefix}. */
  private static long lines(String output, String prefix) {
    return output.lines().filter(line -> line.startsWith(prefix)).count();
  }

  private static String outageSeconds(String output, String over) {
    Matcher matcher = Pattern.compile(Pattern.quote(over) + "(\\d+\\.\\d) s").matcher(output);
    return matcher.find() ? matcher.group(1) : "?";
  }

  private static String reported(String output, String label) {
    Matcher matcher =
        Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+([\\d,]+)").matcher(output);
    return matcher.find() ? "consumed " + matcher.group(1) + " orders" : "printed no count";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** What members A (in this JVM) and B (a child JVM) printed so far. */
  private record Members(ByteArrayOutputStream aOutput, Path bOutput) {

    String a() {
      return aOutput.toString(StandardCharsets.UTF_8);
    }

    String b() {
      return read(bOutput);
    }

    String printed() {
      return "A printed:\n" + a() + "\nB printed:\n" + b();
    }
  }
}
