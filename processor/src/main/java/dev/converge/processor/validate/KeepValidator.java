package dev.converge.processor.validate;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;

/** Reports {@code @Keep} on a parameter of a method that is neither {@code @Race} nor {@code @Join}. */
public final class KeepValidator {
  private final ErrorReporter reporter;

  /**
   * Creates the validator.
   *
   * @param reporter where errors go
   */
  public KeepValidator(ErrorReporter reporter) {
    this.reporter = reporter;
  }

  /**
   * Checks one element annotated with {@code @Keep}.
   *
   * @param parameter the annotated parameter
   */
  public void validate(Element parameter) {
    Element method = parameter.getEnclosingElement();
    if (method.getKind() == ElementKind.METHOD && MethodValidator.isAnnotated(method)) {
      return;
    }
    String where = method.getKind() == ElementKind.CONSTRUCTOR
        ? "the constructor of " + method.getEnclosingElement().getSimpleName()
        : method.getSimpleName().toString();
    reporter.error(parameter, Message.KEEP_WITHOUT_COMBINATOR, parameter.getSimpleName(), where);
  }
}
