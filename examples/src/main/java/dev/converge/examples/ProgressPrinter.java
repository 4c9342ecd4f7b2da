package dev.converge.examples;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line once a second, from a timer thread of its own, until closed.
 *
 * <p>Thread-safe. {@link #close()} waits for a line being printed to finish, so nothing is printed
 * after it returns.
 */
final class ProgressPrinter implements AutoCloseable {

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("progress"));
  private final PrintStream out;
  private final ServiceMetrics metrics;
  private final long startNanos;
  // Touched only by the timer thread.
  private long previousCommitted;
  private long previousNanos;

  /**
   * Starts printing.
   *
   * @param out where to print
   * @param metrics what to print
   * @param startNanos when the run started, on the {@link System#nanoTime()} clock
   */
  ProgressPrinter(PrintStream out, ServiceMetrics metrics, long startNanos) {
    this.out = out;
    this.metrics = metrics;
    this.startNanos = startNanos;
    this.previousNanos = startNanos;
    timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
  }

  private void print() {
    long now = System.nanoTime();
    ServiceMetrics.Snapshot snapshot = metrics.snapshot();
    double rate = (snapshot.committed() - previousCommitted) / ((now - previousNanos) / 1e9);
    previousCommitted = snapshot.committed();
    previousNanos = now;
    out.println(Report.progressLine(now - startNanos, snapshot, rate));
  }

  /** Stops printing; if interrupted while a last line is printed, returns with the flag set. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
