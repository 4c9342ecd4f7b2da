package dev.converge.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import dev.converge.processor.model.Branch;
import dev.converge.processor.model.CombinatorMethod;
import dev.converge.processor.model.ConvergeType;
import dev.converge.processor.model.Rule;

/**
 * Writes the result type of a {@code @Join} method: a record with one component per parameter,
 * holding the value ({@code FAIL_FAST}) or the {@code Outcome} ({@code SETTLE_ALL}) of that branch.
 */
public final class JoinResultWriter {
  static final ClassName OUTCOME = ClassName.get("dev.converge", "Outcome");

  private final GeneratedFiles files;

  /**
   * Creates the writer.
   *
   * @param files the settings every generated file shares
   */
  public JoinResultWriter(GeneratedFiles files) {
    this.files = files;
  }

  /**
   * Returns the type of the record component for {@code branch}.
   *
   * @param method the {@code @Join} method
   * @param branch one of its branches
   * @return {@code Outcome<T>} for {@code SETTLE_ALL}, else the branch's value type
   */
  static TypeName componentType(CombinatorMethod method, Branch branch) {
    return method.rule() == Rule.SETTLE_ALL
        ? ParameterizedTypeName.get(OUTCOME, branch.typeArgument())
        : branch.valueType();
  }

  /**
   * Returns the file of the result type of {@code method}.
   *
   * @param owner the annotated type
   * @param method a {@code @Join} method of it
   * @return the record's file
   */
  public JavaFile write(ConvergeType owner, CombinatorMethod method) {
    boolean settleAll = method.rule() == Rule.SETTLE_ALL;
    StringBuilder javadoc =
        new StringBuilder()
            .append("The joined branches of ")
            .append(Javadocs.link(owner.name(), method))
            .append(": one component per parameter of that method, in order.\n\n<p>Rule (")
            .append(Javadocs.annotation(method))
            .append("): ")
            .append(method.rule().description())
            .append(".\n\n");
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
    for (Branch branch : method.branches()) {
      constructor.addParameter(componentType(method, branch), branch.name());
      javadoc
          .append("@param ")
          .append(branch.name())
          .append(
              settleAll
                  ? " the outcome of {@code " + branch.name() + "}: its value or its failure\n"
                  : " the value {@code "
                      + branch.name()
                      + "} completed with, possibly {@code null}\n");
    }
    for (TypeVariableName variable : method.result().typeVariables()) {
      javadoc
          .append("@param <")
          .append(variable.name())
          .append("> the type variable {@code ")
          .append(variable.name())
          .append("} of the method\n");
    }
    TypeSpec.Builder type =
        TypeSpec.recordBuilder(method.result().className()).addJavadoc(Javadocs.wrap(javadoc));
    files.prepare(type, owner);
    type.addTypeVariables(method.result().typeVariables()).recordConstructor(constructor.build());
    return files.file(owner, type.build());
  }
}
