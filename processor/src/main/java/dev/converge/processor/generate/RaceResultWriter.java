package dev.converge.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import dev.converge.processor.model.Branch;
import dev.converge.processor.model.CombinatorMethod;
import dev.converge.processor.model.ConvergeType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * Writes the result type of a {@code @Race} method: a sealed interface with one record per
 * parameter, {@code Object value()} narrowed by each record, and an exhaustive {@code fold}.
 */
public final class RaceResultWriter {
  private static final ClassName FUNCTION = ClassName.get(Function.class);

  private final GeneratedFiles files;

  /**
   * Creates the writer.
   *
   * @param files the settings every generated file shares
   */
  public RaceResultWriter(GeneratedFiles files) {
    this.files = files;
  }

  /**
   * Returns the file of the result type of {@code method}.
   *
   * @param owner the annotated type
   * @param method a {@code @Race} method of it
   * @return the sealed interface's file
   */
  public JavaFile write(ConvergeType owner, CombinatorMethod method) {
    ClassName name = method.result().className();
    TypeName self = method.result().usage();
    TypeVariableName foldResult = TypeVariableName.get(foldVariableName(method));
    List<ParameterSpec> foldParameters = new ArrayList<>();
    for (Branch branch : method.branches()) {
      foldParameters.add(
          ParameterSpec.builder(
                  ParameterizedTypeName.get(
                      FUNCTION,
                      WildcardTypeName.supertypeOf(branch.valueType()),
                      WildcardTypeName.subtypeOf(foldResult)),
                  branch.name())
              .build());
    }

    TypeSpec.Builder type =
        TypeSpec.interfaceBuilder(name)
            .addJavadoc(typeJavadoc(owner, method))
            .addModifiers(Modifier.SEALED)
            .addTypeVariables(method.result().typeVariables());
    files.prepare(type, owner);
    type.addMethod(
        MethodSpec.methodBuilder("value")
            .addJavadoc(
                "Returns the winning branch's value; each record narrows its type.\n\n"
                    + "@return the value the winning branch completed with, possibly {@code null}\n")
            .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
            .returns(Object.class)
            .build());
    type.addMethod(
        foldBuilder(method, foldResult, foldParameters)
            .addJavadoc(foldJavadoc(method, foldResult))
            .addModifiers(Modifier.ABSTRACT)
            .build());
    for (Branch branch : method.branches()) {
      ClassName variant = name.nestedClass(branch.variantName());
      type.addPermittedSubclass(variant);
      type.addType(variant(method, branch, variant, self, foldResult, foldParameters));
    }
    return files.file(owner, type.build());
  }

  private static TypeSpec variant(
      CombinatorMethod method,
      Branch branch,
      ClassName variant,
      TypeName self,
      TypeVariableName foldResult,
      List<ParameterSpec> foldParameters) {
    StringBuilder javadoc =
        new StringBuilder()
            .append("The branch {@code ")
            .append(branch.name())
            .append("} won the race.\n\n")
            .append("@param value the value {@code ")
            .append(branch.name())
            .append("} completed with, possibly {@code null}\n");
    typeVariableJavadoc(javadoc, method);
    return TypeSpec.recordBuilder(variant)
        .addJavadoc(Javadocs.wrap(javadoc))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addTypeVariables(method.result().typeVariables())
        .addSuperinterface(self)
        .recordConstructor(
            MethodSpec.constructorBuilder().addParameter(branch.valueType(), "value").build())
        .addMethod(
            foldBuilder(method, foldResult, foldParameters)
                .addAnnotation(Override.class)
                .addStatement("return $N.apply(this.value)", branch.name())
                .build())
        .build();
  }

  private static MethodSpec.Builder foldBuilder(
      CombinatorMethod method, TypeVariableName foldResult, List<ParameterSpec> foldParameters) {
    return MethodSpec.methodBuilder("fold")
        .addModifiers(Modifier.PUBLIC)
        .addTypeVariable(foldResult)
        .returns(foldResult)
        .addParameters(foldParameters);
  }

  private static CodeBlock typeJavadoc(ConvergeType owner, CombinatorMethod method) {
    StringBuilder javadoc =
        new StringBuilder()
            .append("Which branch won the race of ")
            .append(Javadocs.link(owner.name(), method))
            .append(
                ": one record per parameter of that method, holding the winning branch's value.")
            .append("\n\n<p>Rule (")
            .append(Javadocs.annotation(method))
            .append("): ")
            .append(method.rule().description())
            .append(
                ".\n\n<p>Read it with {@link #fold}, which takes one function per branch, or on"
                    + " Java 21+ with an exhaustive {@code switch} over the records.\n");
    if (method.result().isGeneric()) {
      javadoc.append("\n");
      typeVariableJavadoc(javadoc, method);
    }
    return Javadocs.wrap(javadoc);
  }

  private static CodeBlock foldJavadoc(CombinatorMethod method, TypeVariableName foldResult) {
    StringBuilder javadoc =
        new StringBuilder("Applies the function of the winning branch to its value.\n\n");
    for (Branch branch : method.branches()) {
      javadoc
          .append("@param ")
          .append(branch.name())
          .append(" applied if {@code ")
          .append(branch.name())
          .append("} won\n");
    }
    return Javadocs.wrap(
        javadoc
            .append("@param <")
            .append(foldResult.name())
            .append("> the type the functions return\n")
            .append("@return what the applied function returned\n"));
  }

  private static void typeVariableJavadoc(StringBuilder javadoc, CombinatorMethod method) {
    for (TypeVariableName variable : method.result().typeVariables()) {
      javadoc
          .append("@param <")
          .append(variable.name())
          .append("> the type variable {@code ")
          .append(variable.name())
          .append("} of the method\n");
    }
  }

  /** {@code R}, unless the method or a variant already uses that name: then R2, R3, … */
  private static String foldVariableName(CombinatorMethod method) {
    Set<String> taken = new HashSet<>();
    method.typeVariables().forEach(variable -> taken.add(variable.name()));
    method.branches().forEach(branch -> taken.add(branch.variantName()));
    taken.add(method.result().className().simpleName());
    String name = "R";
    for (int suffix = 2; taken.contains(name); suffix++) {
      name = "R" + suffix;
    }
    return name;
  }
}
