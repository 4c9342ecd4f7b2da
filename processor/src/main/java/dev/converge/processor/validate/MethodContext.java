package dev.converge.processor.validate;

import dev.converge.processor.model.Rule;
import javax.lang.model.element.ExecutableElement;

/**
 * The method being validated, for the messages about its parts.
 *
 * @param method the {@code @Race} or {@code @Join} method
 * @param rule its annotation and mode
 * @param packageName the package its generated types go into
 */
record MethodContext(ExecutableElement method, Rule rule, String packageName) {

  String annotation() {
    return rule.annotation();
  }

  String methodName() {
    return method.getSimpleName().toString();
  }
}
