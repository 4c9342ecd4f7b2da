package dev.converge.processor.validate;

import java.util.List;

/**
 * An error found while reading something, to be reported by whoever knows which element it is
 * about.
 *
 * @param message the catalogue entry
 * @param arguments its arguments
 */
record Problem(Message message, List<Object> arguments) {
  static Problem of(Message message, Object... arguments) {
    return new Problem(message, List.of(arguments));
  }

  Object[] argumentArray() {
    return arguments.toArray();
  }
}
