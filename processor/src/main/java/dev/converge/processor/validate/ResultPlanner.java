package dev.converge.processor.validate;

import com.palantir.javapoet.ClassName;
import dev.converge.processor.model.Rule;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Plans the types a round will generate before any type is validated, so that a method can use
 * another method's result type (an error type until it is generated) as a value type, and so that
 * two methods naming the same result type are caught. Names are claimed in order: implementation
 * classes first, then result types in the order of the annotated types and their methods, which
 * makes the reported clash deterministic.
 */
public final class ResultPlanner {
  private final ResultTypeReader resultTypes;

  /**
   * Creates a planner.
   *
   * @param resultTypes reads the result type names
   */
  public ResultPlanner(ResultTypeReader resultTypes) {
    this.resultTypes = resultTypes;
  }

  /**
   * Plans every type generated for {@code annotatedTypes}. Reports nothing: a name that cannot be
   * read is reported when its method is validated.
   *
   * @param annotatedTypes the types declaring {@code @Race}/{@code @Join} methods, in a stable order
   * @return the planned names
   */
  public PlannedTypes plan(List<TypeElement> annotatedTypes) {
    PlannedTypes planned = new PlannedTypes();
    for (TypeElement type : annotatedTypes) {
      ClassName implementation = TypeValidator.implementationName(type);
      planned.claim(
          implementation.packageName(),
          implementation.simpleName(),
          type,
          "the implementation of " + type.getQualifiedName());
    }
    for (TypeElement type : annotatedTypes) {
      String packageName = ClassName.get(type).packageName();
      for (ExecutableElement method : TypeValidator.annotatedMethods(type)) {
        Optional<Rule> annotated = MethodValidator.ruleOf(method);
        if (annotated.isEmpty()) {
          continue;
        }
        Rule rule = annotated.get();
        ResultTypeReader.Reading reading = resultTypes.read(method, rule.annotation());
        if (reading.ok()) {
          planned.claim(
              packageName,
              reading.simpleName(),
              method,
              "@"
                  + rule.annotation()
                  + " method '"
                  + method.getSimpleName()
                  + "' of "
                  + type.getQualifiedName());
        }
      }
    }
    return planned;
  }
}
