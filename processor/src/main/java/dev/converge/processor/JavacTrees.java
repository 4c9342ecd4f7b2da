package dev.converge.processor;

import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * Finds javac's tree API for the environment a build tool hands the processor.
 *
 * <p>{@link Trees#instance} accepts only javac's own {@code JavacProcessingEnvironment}. Gradle's
 * incremental processing hands out a class that forwards to it through a field (its
 * {@code delegate}); IntelliJ IDEA hands out a {@link Proxy} whose invocation handler holds it in a
 * field. Both keep javac's environment reachable, so this looks for it through the fields of the
 * wrapper, or of the proxy's handler, that hold a {@code ProcessingEnvironment}, a few levels
 * deep. Nothing is cast on trust: every candidate is offered to {@code Trees.instance}, which
 * checks it.
 */
final class JavacTrees {
  /** Wrappers seen in practice are one or two levels deep; this bounds a search through cycles. */
  private static final int MAX_DEPTH = 4;

  private JavacTrees() {}

  /**
   * Returns javac's tree API for {@code environment} or for a javac environment it wraps.
   *
   * @param environment what the compiler or build tool passed to {@code init}
   * @return the tree API, or empty where the compiler is not javac or the wrapper hides it
   */
  static Optional<Trees> find(ProcessingEnvironment environment) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<ProcessingEnvironment> level = new ArrayDeque<>();
    level.add(environment);
    for (int depth = 0; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
      ArrayDeque<ProcessingEnvironment> next = new ArrayDeque<>();
      for (ProcessingEnvironment candidate : level) {
        if (!seen.add(candidate)) {
          continue;
        }
        Optional<Trees> trees = treesOf(candidate);
        if (trees.isPresent()) {
          return trees;
        }
        Object holder =
            Proxy.isProxyClass(candidate.getClass())
                ? Proxy.getInvocationHandler(candidate)
                : candidate;
        addWrapped(holder, next);
      }
      level = next;
    }
    return Optional.empty();
  }

  private static Optional<Trees> treesOf(ProcessingEnvironment candidate) {
    try {
      return Optional.of(Trees.instance(candidate));
    } catch (IllegalArgumentException | LinkageError notJavac) {
      // Not javac's own environment (or no javac on this compiler's class path): look inside.
      return Optional.empty();
    }
  }

  /** Adds every {@code ProcessingEnvironment} held by an instance field of {@code holder}. */
  private static void addWrapped(Object holder, ArrayDeque<ProcessingEnvironment> found) {
    for (Class<?> type = holder.getClass();
        type != null && type != Object.class;
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
          continue;
        }
        try {
          field.setAccessible(true);
          if (field.get(holder) instanceof ProcessingEnvironment wrapped) {
            found.add(wrapped);
          }
        } catch (RuntimeException | IllegalAccessException closed) {
          // A module that does not open the wrapper's package: that field is out of reach.
        }
      }
    }
  }
}
