package dev.converge.processor.validate;

import dev.converge.processor.model.Rule;
import java.util.List;
import javax.lang.model.element.ExecutableElement;

/**
 * The method being validated and where its findings go.
 *
 * @param method the {@code @Race} or {@code @Join} method
 * @param rule its annotation and mode
 * @param packageName the package its generated types go into
 * @param unresolved collects types that may still appear in a later round
 */
record MethodContext(ExecutableElement method, Rule rule, String packageName,
    List<Unresolved> unresolved) {

  String annotation() {
    return rule.annotation();
  }

  String methodName() {
    return method.getSimpleName().toString();
  }
}
