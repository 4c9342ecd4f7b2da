package dev.converge.examples;

import dev.converge.batch.Scheduler;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

/**
 * Whether one dependency of the service (the database) is reachable, told by the calls that use it:
 * the first call that finds it unreachable starts an outage, the first that succeeds afterwards
 * ends it. Each outage is printed on one line as it starts (what, and the error) and one as it ends
 * (how long it lasted), and counted in the metrics, however many calls failed meanwhile.
 *
 * <pre>
 * outage: the database at jdbc:postgresql://db/orders is unreachable: FATAL: terminating connection
 *     due to administrator command (SQLState 57P01); retrying for up to 5m
 * outage over: the database at jdbc:postgresql://db/orders is back after 8.4 s
 * </pre>
 *
 * <p>(The first line is wrapped here; it is printed as one.)
 *
 * <p>It also holds {@code --give-up-after}: an outage that lasts longer ends the run, with {@link
 * #tooLong}'s exception. With a limit of zero nothing is ridden through, and no outage is printed.
 *
 * <p>Thread-safe. Time is read from the scheduler's clock, so tests run outages in virtual time.
 */
final class OutageReporter {

  private final String dependency;
  private final Duration giveUpAfter;
  private final Scheduler clock;
  private final PrintStream out;
  private final ServiceMetrics metrics;

  private final Object lock = new Object();

  /** Read without the lock on every successful call: the common case, no outage, takes no lock. */
  private volatile boolean down;

  /** When the current outage started; guarded by {@link #lock}, meaningful while {@link #down}. */
  private long startedAt;

  /**
   * Creates the reporter of a dependency that is up.
   *
   * @param dependency what the dependency is, as the lines name it: "the database at jdbc:…"
   * @param giveUpAfter how long an outage may last before the run ends; zero rides through none
   * @param clock the time source
   * @param out where the lines go
   * @param metrics counts outages and their time
   */
  OutageReporter(
      String dependency,
      Duration giveUpAfter,
      Scheduler clock,
      PrintStream out,
      ServiceMetrics metrics) {
    this.dependency = dependency;
    this.giveUpAfter = giveUpAfter;
    this.clock = clock;
    this.out = out;
    this.metrics = metrics;
  }

  /**
   * Returns how long an outage may last.
   *
   * @return {@code --give-up-after}
   */
  Duration giveUpAfter() {
    return giveUpAfter;
  }

  /**
   * Records that a call found the dependency unreachable, starting an outage (and printing its
   * line) if none is under way.
   *
   * @param error why the call failed; the start line names it
   * @return how long the outage has lasted, in nanoseconds (0 when it starts now)
   */
  long unreachable(Throwable error) {
    synchronized (lock) {
      long now = clock.nanoTime();
      if (!down) {
        down = true;
        startedAt = now;
        metrics.outageStarted();
        if (!giveUpAfter.isZero()) {
          out.println(
              "outage: "
                  + dependency
                  + " is unreachable: "
                  + describe(error)
                  + "; retrying for up to "
                  + asFlag(giveUpAfter));
        }
      }
      return now - startedAt;
    }
  }

  /**
   * Returns the time on the reporter's clock, the one {@link #reachable} compares with.
   *
   * @return the clock's nanoseconds
   */
  long nanoTime() {
    return clock.nanoTime();
  }

  /**
   * Records that a call succeeded, ending the outage under way, if any, with its line. A call that
   * started before the outage did proves nothing: with several calls in flight, one may still
   * finish on a connection the database is closing just after another has failed on it.
   *
   * @param callStartedAt when the call started, on the reporter's clock
   */
  void reachable(long callStartedAt) {
    if (!down) {
      return;
    }
    synchronized (lock) {
      if (!down || callStartedAt < startedAt) {
        return;
      }
      down = false;
      long lasted = clock.nanoTime() - startedAt;
      metrics.outageEnded(lasted);
      out.println("outage over: " + dependency + " is back after " + seconds(lasted));
    }
  }

  /**
   * Returns the failure that ends the run when an outage has lasted too long.
   *
   * @param lastError the last call's failure
   * @param lastedNanos how long the outage has lasted
   * @return the exception; its message is the one line the service prints
   */
  OutageTooLongException tooLong(Throwable lastError, long lastedNanos) {
    return new OutageTooLongException(
        "gave up on "
            + dependency
            + ": unreachable for "
            + seconds(lastedNanos)
            + " (--give-up-after "
            + asFlag(giveUpAfter)
            + "): "
            + describe(lastError),
        lastError);
  }

  /** The error's first line, with its SQLState: what decided that waiting may cure it. */
  private static String describe(Throwable error) {
    String line = ServiceFailure.describe(error);
    Throwable cause = Failures.unwrap(error);
    if (cause instanceof SQLException sql) {
      String state = TransientSqlErrors.sqlState(sql);
      if (state != null) {
        return line + " (SQLState " + state + ")";
      }
    }
    return line;
  }

  /** A duration as {@code --give-up-after} takes it: 5m, 30s, 250ms. */
  static String asFlag(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0";
    }
    if (nanos % 60_000_000_000L == 0) {
      return nanos / 60_000_000_000L + "m";
    }
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
