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
 * AsyncKafkaConsumer}). Kafka has no public way to ask: {@code KafkaConsumer} keeps its config
 * to itself, and neither {@code groupMetadata()} nor its metrics tell the flag. Other consumers
 * ({@code MockConsumer}, wrappers) cannot be checked and pass. A {@code KafkaConsumer} whose fields
 * differ (another kafka-clients version) or cannot be read (a module that does not open them)
 * passes too, and a warning says the check did not run, rather than refusing a consumer that may
 * be configured correctly.
 */
final class AutoCommitCheck {

  private static final System.Logger LOG = System.getLogger(KafkaBatchSource.class.getName());

  private AutoCommitCheck() {}

  /** True when {@code consumer} is known to commit by itself. */
  static boolean autoCommits(Consumer<?, ?> consumer) {
    if (!(consumer instanceof KafkaConsumer)) {
      return false;
    }
    try {
      Object delegate = read(consumer, KafkaConsumer.class, "delegate");
      Object flag =
          delegate == null
              ? null
              : field(delegate.getClass(), "autoCommitEnabled") != null
                  ? read(delegate, delegate.getClass(), "autoCommitEnabled")
                  : autoCommitOfCoordinator(delegate);
      if (flag instanceof Boolean) {
        return (Boolean) flag;
      }
      notChecked(consumer, "no enable.auto.commit flag where this check looks for it");
    } catch (ReflectiveOperationException | RuntimeException e) {
      notChecked(consumer, e.toString()); // not a layout this check knows, or not readable
    }
    return false;
  }

  private static void notChecked(Consumer<?, ?> consumer, String why) {
    LOG.log(
        System.Logger.Level.WARNING,
        "could not check that enable.auto.commit is false on {0} ({1}); with auto commit on, the"
            + " consumer commits records before they are processed",
        consumer.getClass().getName(),
        why);
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
