package dev.converge.processor.validate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.converge.Keep;
import dev.converge.processor.model.Branch;
import dev.converge.processor.model.BranchKind;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/**
 * Checks one parameter against the accepted shapes (DESIGN 3.4) and turns it into a
 * {@link Branch}: {@code CompletionStage<T>}, {@code CompletableFuture<T>}, {@code Callable<T>}, or
 * a {@code Supplier} of {@code CompletionStage<T>} or {@code CompletableFuture<T>}, optionally
 * {@code ? extends} that.
 */
final class BranchValidator {
  private static final String COMPLETION_STAGE = "java.util.concurrent.CompletionStage";
  private static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
  private static final String CALLABLE = "java.util.concurrent.Callable";
  private static final String SUPPLIER = "java.util.function.Supplier";

  private final ErrorReporter reporter;
  private final PlannedTypes planned;

  BranchValidator(ErrorReporter reporter, PlannedTypes planned) {
    this.reporter = reporter;
    this.planned = planned;
  }

  /** Returns the branch, or {@code null} after reporting why the parameter is not one. */
  Branch validate(VariableElement parameter, MethodContext context) {
    String name = parameter.getSimpleName().toString();
    TypeMirror type = parameter.asType();
    if (type.getKind() == TypeKind.ERROR) {
      context.unresolved().add(unresolved(parameter, context, type.toString()));
      return null;
    }
    String qualifiedName = qualifiedName(type);
    BranchKind kind = kindOf(qualifiedName);
    if (kind == null) {
      unsupported(parameter, context, type);
      return null;
    }
    List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
    if (arguments.isEmpty()) {
      raw(parameter, context, simpleName(type));
      return null;
    }
    TypeMirror typeArgument = arguments.get(0);
    if (kind == BranchKind.SUPPLIER) {
      typeArgument = suppliedValueType(parameter, context, typeArgument);
      if (typeArgument == null) {
        return null;
      }
    }

    TypeConversion.Converted parameterType =
        TypeConversion.convert(type, planned, context.packageName());
    if (parameterType.rawType() != null) {
      raw(parameter, context, parameterType.rawType());
      return null;
    }
    if (parameterType.unresolvedType() != null) {
      context.unresolved().add(unresolved(parameter, context, parameterType.unresolvedType()));
      return null;
    }
    TypeName argument =
        TypeConversion.convert(typeArgument, planned, context.packageName()).typeName();
    TypeName valueType = argument;
    if (typeArgument.getKind() == TypeKind.WILDCARD) {
      TypeMirror bound = ((WildcardType) typeArgument).getExtendsBound();
      valueType = bound == null
          ? ClassName.OBJECT
          : TypeConversion.convert(bound, planned, context.packageName()).typeName();
    }
    return new Branch(name, Names.capitalize(name), kind, parameterType.typeName(), argument,
        valueType, parameter.getAnnotation(Keep.class) != null);
  }

  /**
   * For {@code Supplier<S>} or {@code Supplier<? extends S>}, checks that S is a stage or future of
   * an exact value type and returns that value type; null after reporting otherwise.
   */
  private TypeMirror suppliedValueType(VariableElement parameter, MethodContext context,
      TypeMirror supplied) {
    TypeMirror stage = supplied;
    if (supplied.getKind() == TypeKind.WILDCARD) {
      stage = ((WildcardType) supplied).getExtendsBound();
      if (stage == null) {
        unsupported(parameter, context, parameter.asType());
        return null;
      }
    }
    if (stage.getKind() == TypeKind.ERROR) {
      context.unresolved().add(unresolved(parameter, context, stage.toString()));
      return null;
    }
    String stageName = qualifiedName(stage);
    if (!COMPLETION_STAGE.equals(stageName) && !COMPLETABLE_FUTURE.equals(stageName)) {
      unsupported(parameter, context, parameter.asType());
      return null;
    }
    List<? extends TypeMirror> arguments = ((DeclaredType) stage).getTypeArguments();
    if (arguments.isEmpty()) {
      raw(parameter, context, simpleName(stage));
      return null;
    }
    TypeMirror value = arguments.get(0);
    if (value.getKind() == TypeKind.WILDCARD) {
      // Supplier<CompletionStage<? extends T>> is not a Supplier<? extends CompletionStage<T>> for
      // any T, and converting it would need an unchecked cast or a new stage that breaks cancelling.
      reporter.error(parameter, Message.SUPPLIER_WILDCARD_VALUE, parameter.getSimpleName(),
          context.annotation(), context.methodName(), value);
      return null;
    }
    return value;
  }

  private void unsupported(VariableElement parameter, MethodContext context, TypeMirror type) {
    reporter.error(parameter, Message.UNSUPPORTED_PARAMETER_TYPE, parameter.getSimpleName(),
        context.annotation(), context.methodName(), type);
  }

  private void raw(VariableElement parameter, MethodContext context, String rawType) {
    reporter.error(parameter, Message.RAW_PARAMETER_TYPE, parameter.getSimpleName(),
        context.annotation(), context.methodName(), rawType, rawType);
  }

  private static Unresolved unresolved(VariableElement parameter, MethodContext context,
      String written) {
    return new Unresolved(parameter, Problem.of(Message.UNRESOLVED_PARAMETER_TYPE,
        parameter.getSimpleName(), context.annotation(), context.methodName(), written, written));
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
