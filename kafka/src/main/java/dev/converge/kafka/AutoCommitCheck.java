package dev.converge.kafka;

import java.lang.reflect.Field;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Whether a consumer commits by itself ({@code enable.auto.commit=true}), which would commit
 * records before they are processed.
 *
 * <p>The {@link Consumer} interface does not expose its settings, so this reads the flag that
 * Kafka's two consumer implementations keep ({@code ClassicKafkaConsumer}'s coordinator, {@code
 * AsyncKafkaConsumer}). Other consumers ({@code MockConsumer}, wrappers) and Kafka versions whose
 * fields differ cannot be checked; they pass.
 */
final class AutoCommitCheck {

  private AutoCommitCheck() {}

  /** True when {@code consumer} is known to commit by itself. */
  static boolean autoCommits(Consumer<?, ?> consumer) {
    if (!(consumer instanceof KafkaConsumer)) {
      return false;
    }
    try {
      Object delegate = read(consumer, KafkaConsumer.class, "delegate");
      if (delegate == null) {
        return false;
      }
      Object flag =
          field(delegate.getClass(), "autoCommitEnabled") != null
              ? read(delegate, delegate.getClass(), "autoCommitEnabled")
              : autoCommitOfCoordinator(delegate);
      return Boolean.TRUE.equals(flag);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // not a layout this check knows
    }
  }

  private static Object autoCommitOfCoordinator(Object delegate)
      throws ReflectiveOperationException {
    if (field(delegate.getClass(), "coordinator") == null) {
      return null;
    }
    Object coordinator = read(delegate, delegate.getClass(), "coordinator");
    return coordinator == null
        ? null
        : read(coordinator, coordinator.getClass(), "autoCommitEnabled");
  }

  private static Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    return null;
  }

  private static Object read(Object target, Class<?> type, String name)
      throws ReflectiveOperationException {
    Field field = field(type, name);
    if (field == null) {
      throw new NoSuchFieldException(name);
    }
    field.setAccessible(true);
    return field.get(target);
  }
}
