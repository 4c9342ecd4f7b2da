package dev.converge.processor.validate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.converge.Keep;
import dev.converge.processor.model.Branch;
import dev.converge.processor.model.BranchKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/**
 * Checks one parameter against the accepted shapes (docs/design.md section 3.4) and turns it into a
 * {@link Branch}: {@code CompletionStage<T>}, {@code CompletableFuture<T>}, {@code Callable<T>}, or
 * a {@code Supplier} of {@code CompletionStage<T>} or {@code CompletableFuture<T>}, optionally
 * {@code ? extends} that.
 */
final class BranchValidator {
  private static final String COMPLETION_STAGE = "java.util.concurrent.CompletionStage";
  private static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
  private static final String CALLABLE = "java.util.concurrent.Callable";
  private static final String SUPPLIER = "java.util.function.Supplier";

  private final PlannedTypes planned;

  BranchValidator(PlannedTypes planned) {
    this.planned = planned;
  }

  /** Returns the branch, or a report of why the parameter is not one. */
  Validated<Branch> validate(VariableElement parameter, MethodContext context) {
    ValidationReport.Builder report = ValidationReport.builder();
    String name = parameter.getSimpleName().toString();
    TypeMirror type = parameter.asType();
    if (type.getKind() == TypeKind.ERROR) {
      return fromText(parameter, context, type.toString());
    }
    String qualifiedName = qualifiedName(type);
    BranchKind kind = kindOf(qualifiedName);
    if (kind == null) {
      return Validated.failed(unsupported(report, parameter, context, type));
    }
    List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
    if (arguments.isEmpty()) {
      return Validated.failed(raw(report, parameter, context, simpleName(type)));
    }
    TypeMirror typeArgument = arguments.get(0);
    if (kind == BranchKind.SUPPLIER) {
      Optional<TypeMirror> supplied = suppliedValueType(report, parameter, context, typeArgument);
      if (supplied.isEmpty()) {
        return Validated.failed(report.build());
      }
      typeArgument = supplied.get();
    }

    TypeConversion.Converted parameterType =
        TypeConversion.convert(type, planned, context.packageName());
    if (parameterType.rawType() != null) {
      return Validated.failed(raw(report, parameter, context, parameterType.rawType()));
    }
    if (parameterType.unresolvedType() != null) {
      return Validated.failed(missing(report, parameter, context, parameterType.unresolvedType()));
    }
    TypeName argument =
        TypeConversion.convert(typeArgument, planned, context.packageName()).typeName();
    TypeName valueType = argument;
    if (typeArgument.getKind() == TypeKind.WILDCARD) {
      TypeMirror bound = ((WildcardType) typeArgument).getExtendsBound();
      valueType =
          bound == null
              ? ClassName.OBJECT
              : TypeConversion.convert(bound, planned, context.packageName()).typeName();
    }
    boolean keep = parameter.getAnnotation(Keep.class) != null;
    return Validated.of(
        report.build(),
        new Branch(
            name,
            Names.capitalize(name),
            kind,
            parameterType.typeName(),
            argument,
            valueType,
            keep));
  }

  /**
   * Reads a parameter whose whole type is one error type, as Eclipse's compiler shows
   * {@code CompletionStage<UserSource>} while {@code UserSource} is not generated yet: the same
   * rules as above, applied to the type's text ({@link TypeText}). A name that resolves to
   * nothing this round plans is missing, as with javac.
   *
   * <p>Long because it mirrors the type-based rules above one for one, each with its own message,
   * in the same order, so that the two readings can be compared side by side.
   */
  private Validated<Branch> fromText(
      VariableElement parameter, MethodContext context, String written) {
    ValidationReport.Builder report = ValidationReport.builder();
    Set<String> typeVariables =
        context.method().getTypeParameters().stream()
            .map(variable -> variable.getSimpleName().toString())
            .collect(Collectors.toSet());
    Optional<TypeText> parsed = TypeText.parse(written);
    Optional<TypeName> parameterType =
        parsed.flatMap(text -> text.toTypeName(planned, context.packageName(), typeVariables));
    if (parameterType.isEmpty()) {
      return Validated.failed(missing(report, parameter, context, written));
    }
    TypeText text = parsed.get();
    BranchKind kind = kindOf(text.name());
    if (kind == null || text.dimensions() > 0) {
      return Validated.failed(unsupported(report, parameter, context, written));
    }
    if (text.arguments().isEmpty()) {
      return Validated.failed(raw(report, parameter, context, simpleName(text.name())));
    }
    TypeText argument = text.arguments().get(0);
    if (kind == BranchKind.SUPPLIER) {
      TypeText stage = argument;
      if (argument.isWildcard()) {
        if (argument.bound().isEmpty() || argument.isSuperBound()) {
          return Validated.failed(unsupported(report, parameter, context, written));
        }
        stage = argument.bound().get();
      }
      if (!COMPLETION_STAGE.equals(stage.name()) && !COMPLETABLE_FUTURE.equals(stage.name())) {
        return Validated.failed(unsupported(report, parameter, context, written));
      }
      if (stage.arguments().isEmpty()) {
        return Validated.failed(raw(report, parameter, context, simpleName(stage.name())));
      }
      argument = stage.arguments().get(0);
      if (argument.isWildcard()) {
        return Validated.failed(
            report
                .error(
                    parameter,
                    Message.SUPPLIER_WILDCARD_VALUE,
                    parameter.getSimpleName(),
                    context.annotation(),
                    context.methodName(),
                    argument.written())
                .build());
      }
    }
    TypeName argumentName =
        argument.toTypeName(planned, context.packageName(), typeVariables).orElseThrow();
    TypeName valueType = argumentName;
    if (argument.isWildcard()) {
      valueType =
          argument.bound().isEmpty() || argument.isSuperBound()
              ? ClassName.OBJECT
              : argument
                  .bound()
                  .get()
                  .toTypeName(planned, context.packageName(), typeVariables)
                  .orElseThrow();
    }
    String name = parameter.getSimpleName().toString();
    boolean keep = parameter.getAnnotation(Keep.class) != null;
    return Validated.of(
        report.build(),
        new Branch(
            name,
            Names.capitalize(name),
            kind,
            parameterType.get(),
            argumentName,
            valueType,
            keep));
  }

  private static String simpleName(String qualifiedName) {
    return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
  }

  /**
   * For {@code Supplier<S>} or {@code Supplier<? extends S>}, checks that S is a stage or future of
   * an exact value type and returns that value type; empty, with the reason in {@code report},
   * otherwise.
   */
  private static Optional<TypeMirror> suppliedValueType(
      ValidationReport.Builder report,
      VariableElement parameter,
      MethodContext context,
      TypeMirror supplied) {
    TypeMirror stage = supplied;
    if (supplied.getKind() == TypeKind.WILDCARD) {
      stage = ((WildcardType) supplied).getExtendsBound();
      if (stage == null) {
        unsupported(report, parameter, context, parameter.asType());
        return Optional.empty();
      }
    }
    if (stage.getKind() == TypeKind.ERROR) {
      missing(report, parameter, context, stage.toString());
      return Optional.empty();
    }
    String stageName = qualifiedName(stage);
    if (!COMPLETION_STAGE.equals(stageName) && !COMPLETABLE_FUTURE.equals(stageName)) {
      unsupported(report, parameter, context, parameter.asType());
      return Optional.empty();
    }
    List<? extends TypeMirror> arguments = ((DeclaredType) stage).getTypeArguments();
    if (arguments.isEmpty()) {
      raw(report, parameter, context, simpleName(stage));
      return Optional.empty();
    }
    TypeMirror value = arguments.get(0);
    if (value.getKind() == TypeKind.WILDCARD) {
      // Supplier<CompletionStage<? extends T>> is not a Supplier<? extends CompletionStage<T>> for
      // any T, and converting it would need an unchecked cast or a new stage that breaks
      // cancelling.
      report.error(
          parameter,
          Message.SUPPLIER_WILDCARD_VALUE,
          parameter.getSimpleName(),
          context.annotation(),
          context.methodName(),
          value);
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static ValidationReport unsupported(
      ValidationReport.Builder report,
      VariableElement parameter,
      MethodContext context,
      Object type) {
    return report
        .error(
            parameter,
            Message.UNSUPPORTED_PARAMETER_TYPE,
            parameter.getSimpleName(),
            context.annotation(),
            context.methodName(),
            type)
        .build();
  }

  private static ValidationReport raw(
      ValidationReport.Builder report,
      VariableElement parameter,
      MethodContext context,
      String rawType) {
    return report
        .error(
            parameter,
            Message.RAW_PARAMETER_TYPE,
            parameter.getSimpleName(),
            context.annotation(),
            context.methodName(),
            rawType,
            rawType)
        .build();
  }

  private static ValidationReport missing(
      ValidationReport.Builder report,
      VariableElement parameter,
      MethodContext context,
      String written) {
    return report
        .missing(
            parameter,
            Message.UNRESOLVED_PARAMETER_TYPE,
            parameter.getSimpleName(),
            context.annotation(),
            context.methodName(),
            written,
            written)
        .build();
  }

  private static BranchKind kindOf(String qualifiedName) {
    if (qualifiedName == null) {
      return null;
    }
    switch (qualifiedName) {
      case COMPLETION_STAGE:
      case COMPLETABLE_FUTURE:
        return BranchKind.STAGE;
      case CALLABLE:
        return BranchKind.CALLABLE;
      case SUPPLIER:
        return BranchKind.SUPPLIER;
      default:
        return null;
    }
  }

  private static String qualifiedName(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    return ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString();
  }

  private static String simpleName(TypeMirror type) {
    return ((DeclaredType) type).asElement().getSimpleName().toString();
  }
}
