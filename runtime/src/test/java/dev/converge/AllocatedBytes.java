package dev.converge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.IntConsumer;

/**
 * Counts the bytes the current thread allocates, with
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: for tests that bound the memory a
 * call costs. Counts bytes, never time, so a loaded machine cannot make these tests flaky.
 *
 * <p>Reached through method handles: the tests run patched into the {@code dev.converge} module,
 * which reads only {@code java.base}, so {@code java.management} cannot be named at compile time.
 */
final class AllocatedBytes {

  private static final MethodHandle ALLOCATED;
  private static final boolean SUPPORTED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Object threads =
          lookup
              .findStatic(
                  Class.forName("java.lang.management.ManagementFactory"),
                  "getThreadMXBean",
                  MethodType.methodType(Class.forName("java.lang.management.ThreadMXBean")))
              .invoke();
      Class<?> bean = Class.forName("com.sun.management.ThreadMXBean");
      SUPPORTED =
          (boolean)
              lookup
                  .findVirtual(
                      bean, "isThreadAllocatedMemoryEnabled", MethodType.methodType(boolean.class))
                  .invoke(threads);
      ALLOCATED =
          lookup
              .findVirtual(
                  bean, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
              .bindTo(threads);
    } catch (Throwable e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private AllocatedBytes() {}

  /** Bytes allocated by this thread so far. */
  static long now() {
    try {
      return (long) ALLOCATED.invokeExact(Thread.currentThread().getId());
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Runs {@code body} {@code calls} times after as many warm-up rounds (so that class loading,
   * linking of lambdas and JIT compilation are done) and returns the bytes it allocated per call.
   * The measurement's own cost (two reads of the counter) is measured the same way and subtracted.
   */
  static double perCall(int calls, IntConsumer body) {
    assertTrue(SUPPORTED, "this JVM does not count allocated bytes");
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < calls; i++) {
        body.accept(i);
      }
    }
    long overhead = -now() + now();
    long before = now();
    for (int i = 0; i < calls; i++) {
      body.accept(i);
    }
    long after = now();
    return (double) (after - before - overhead) / calls;
  }

  /** Bytes one object made by {@code maker} occupies, measured by keeping many of them. */
  static double sizeOf(java.util.function.IntFunction<Object> maker) {
    Object[] kept = new Object[10_000];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = maker.apply(i); // warm up; kept so the JIT cannot elide them
    }
    long before = now();
    for (int i = 0; i < kept.length; i++) {
      kept[i] = maker.apply(i);
    }
    long after = now();
    return (double) (after - before) / kept.length;
  }
}
