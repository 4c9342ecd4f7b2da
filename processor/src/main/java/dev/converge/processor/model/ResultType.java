package dev.converge.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;

/**
 * A result type to generate: the sealed interface of a race or the record of a join.
 *
 * @param className its name, top-level in the annotated type's package
 * @param typeVariables the type variables of the originating method, with their bounds; empty for
 *     a non-generic method
 */
public record ResultType(ClassName className, List<TypeVariableName> typeVariables) {

  /** Copies the type variables so the model stays immutable. */
  public ResultType {
    typeVariables = List.copyOf(typeVariables);
  }

  /**
   * Returns the type as used in signatures: {@code Timed<T>}, or just {@code UserSource}.
   *
   * @return the class name, parameterized by its type variables (without bounds) if generic
   */
  public TypeName usage() {
    if (typeVariables.isEmpty()) {
      return className;
    }
    TypeName[] arguments =
        typeVariables.stream()
            .map(variable -> TypeVariableName.get(variable.name()))
            .toArray(TypeName[]::new);
    return ParameterizedTypeName.get(className, arguments);
  }

  /**
   * Tells whether the type has type variables.
   *
   * @return {@code true} for a generic result type
   */
  public boolean isGeneric() {
    return !typeVariables.isEmpty();
  }
}
