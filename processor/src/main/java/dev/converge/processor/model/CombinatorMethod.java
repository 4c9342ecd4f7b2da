package dev.converge.processor.model;

import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * An abstract {@code @Race} or {@code @Join} method that passed validation: everything the writers
 * need to generate its result type and its implementation.
 *
 * @param name the method's name
 * @param rule the annotation and its mode
 * @param form how the result is returned
 * @param result the type to generate for the result
 * @param branches the parameters, in declaration order
 * @param typeVariables the method's type variables with their bounds, in declaration order
 * @param access the method's access modifier to keep when overriding ({@code PUBLIC},
 *     {@code PROTECTED}, or none for package-private)
 * @param thrownTypes the exceptions the method declares, in declaration order
 * @param rethrownCauses the declared checked exceptions (other than {@code InterruptedException})
 *     that the blocking form unwraps from {@code CompletionException}
 */
public record CombinatorMethod(
    String name,
    Rule rule,
    ReturnForm form,
    ResultType result,
    List<Branch> branches,
    List<TypeVariableName> typeVariables,
    Set<Modifier> access,
    List<TypeName> thrownTypes,
    List<TypeName> rethrownCauses) {

  /** Copies the collections so the model stays immutable. */
  public CombinatorMethod {
    branches = List.copyOf(branches);
    typeVariables = List.copyOf(typeVariables);
    access = Set.copyOf(access);
    thrownTypes = List.copyOf(thrownTypes);
    rethrownCauses = List.copyOf(rethrownCauses);
  }

  /**
   * Tells whether any parameter carries {@code @Keep}.
   *
   * @return {@code true} if some branch is never cancelled
   */
  public boolean keepsAny() {
    return branches.stream().anyMatch(Branch::keep);
  }
}
