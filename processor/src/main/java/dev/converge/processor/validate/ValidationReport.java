package dev.converge.processor.validate;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * What validating something found, as a value: the errors to report, each on the element it is
 * about, and the types still missing that another processor may generate in a later round. A
 * validator returns a report; only the processor prints it, so validation never depends on what was
 * printed before (Dagger's {@code ValidationReport} works the same way).
 */
public final class ValidationReport {

  /**
   * One finding.
   *
   * @param element the method, parameter or type it is about
   * @param message what is wrong and what would be right
   * @param arguments the message's arguments
   */
  record Item(Element element, Message message, List<Object> arguments) {
    /** Copies the arguments. */
    Item {
      arguments = List.copyOf(arguments);
    }

    void printTo(Messager messager) {
      messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments.toArray()), element);
    }
  }

  private static final ValidationReport CLEAN = new ValidationReport(List.of(), List.of());

  private final List<Item> errors;
  private final List<Item> missing;

  private ValidationReport(List<Item> errors, List<Item> missing) {
    this.errors = List.copyOf(errors);
    this.missing = List.copyOf(missing);
  }

  /**
   * Returns a report with nothing in it.
   *
   * @return the clean report
   */
  public static ValidationReport clean() {
    return CLEAN;
  }

  /**
   * Starts a report.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells whether nothing was found: no error and no missing type.
   *
   * @return {@code true} if what was validated can be generated
   */
  public boolean isClean() {
    return errors.isEmpty() && missing.isEmpty();
  }

  /**
   * Tells whether an error was found.
   *
   * @return {@code true} if the user must change the source
   */
  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /**
   * Tells whether a type is missing that a later round may bring.
   *
   * @return {@code true} if there is a missing type
   */
  public boolean hasMissingTypes() {
    return !missing.isEmpty();
  }

  /**
   * Prints every error, in the order found.
   *
   * @param messager where to print
   */
  public void printErrors(Messager messager) {
    errors.forEach(item -> item.printTo(messager));
  }

  /**
   * Prints every missing type as an error: on the last round nothing will bring it any more.
   *
   * @param messager where to print
   */
  public void printMissingTypes(Messager messager) {
    missing.forEach(item -> item.printTo(messager));
  }

  /** Collects findings; {@link #build} makes the immutable report. */
  public static final class Builder {
    private final List<Item> errors = new ArrayList<>();
    private final List<Item> missing = new ArrayList<>();

    private Builder() {}

    /**
     * Adds an error.
     *
     * @param element the method, parameter or type it is about
     * @param message the catalogue entry
     * @param arguments its arguments
     * @return this builder
     */
    public Builder error(Element element, Message message, Object... arguments) {
      errors.add(new Item(element, message, List.of(arguments)));
      return this;
    }

    /** Adds a problem that a reader found, on the element it is about. */
    Builder error(Element element, Problem problem) {
      errors.add(new Item(element, problem.message(), problem.arguments()));
      return this;
    }

    /** Adds a missing type, reported only if no later round brings it. */
    Builder missing(Element element, Message message, Object... arguments) {
      missing.add(new Item(element, message, List.of(arguments)));
      return this;
    }

    /**
     * Adds everything another report found.
     *
     * @param report a report of a part of what this builder's report covers
     * @return this builder
     */
    public Builder addAll(ValidationReport report) {
      errors.addAll(report.errors);
      missing.addAll(report.missing);
      return this;
    }

    /**
     * Makes the report.
     *
     * @return an immutable report of everything added so far
     */
    public ValidationReport build() {
      return errors.isEmpty() && missing.isEmpty() ? CLEAN : new ValidationReport(errors, missing);
    }
  }
}
