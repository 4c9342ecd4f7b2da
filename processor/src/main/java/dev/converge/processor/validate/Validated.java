package dev.converge.processor.validate;

import java.util.Optional;

/**
 * The result of validating one thing: the report, and the model built from it, present only when
 * the report is clean.
 *
 * @param report what was found
 * @param value the model, or empty if anything was found
 * @param <T> the model's type
 */
record Validated<T>(ValidationReport report, Optional<T> value) {

  /** Keeps a value only if the report is clean, so no caller can use a model of invalid code. */
  Validated {
    if (!report.isClean()) {
      value = Optional.empty();
    }
  }

  /** The model of a clean report; {@code model} is ignored when the report is not clean. */
  static <T> Validated<T> of(ValidationReport report, T model) {
    return new Validated<>(report, Optional.of(model));
  }

  /** Nothing could be built; the report says why. */
  static <T> Validated<T> failed(ValidationReport report) {
    return new Validated<>(report, Optional.empty());
  }
}
