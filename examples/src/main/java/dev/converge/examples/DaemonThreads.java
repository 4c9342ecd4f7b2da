package dev.converge.examples;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the service's pools: daemon threads, so that a forgotten pool never keeps
 * the JVM (or {@code mvn exec:java}) alive, with names that say what they do in a thread dump.
 */
final class DaemonThreads {

  private DaemonThreads() {}

  /**
   * Returns a factory of daemon threads named {@code prefix-1}, {@code prefix-2}, …
   *
   * @param prefix what the threads do
   * @return the factory
   */
  static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
