package dev.converge.processor.validate;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;

/** Reports {@code @Keep} on a parameter of a method that is neither {@code @Race} nor {@code @Join}. */
public final class KeepValidator {
  /** Creates the validator. */
  public KeepValidator() {}

  /**
   * Checks one element annotated with {@code @Keep}.
   *
   * @param parameter the annotated parameter
   * @return what was found
   */
  public ValidationReport validate(Element parameter) {
    Element method = parameter.getEnclosingElement();
    if (method.getKind() == ElementKind.METHOD && MethodValidator.isAnnotated(method)) {
      return ValidationReport.clean();
    }
    String where =
        method.getKind() == ElementKind.CONSTRUCTOR
            ? "the constructor of " + method.getEnclosingElement().getSimpleName()
            : method.getSimpleName().toString();
    return ValidationReport.builder()
        .error(parameter, Message.KEEP_WITHOUT_COMBINATOR, parameter.getSimpleName(), where)
        .build();
  }
}
