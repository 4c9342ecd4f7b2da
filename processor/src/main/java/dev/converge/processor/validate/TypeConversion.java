package dev.converge.processor.validate;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.List;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/**
 * Turns a type from the user's source into a JavaPoet {@link TypeName}, noticing on the way the two
 * things that stop generation: a raw type (generated code must compile without {@code rawtypes}
 * warnings) and an error type that is not one of the {@link PlannedTypes} (it may come from another
 * processor, so the annotated type waits for a later round).
 */
final class TypeConversion {

  /**
   * The converted type.
   *
   * @param typeName the JavaPoet type; meaningful only when neither problem was found
   * @param rawType the simple name of the first raw type found, or {@code null}
   * @param unresolvedType the first error type that is not planned, as written, or {@code null}
   */
  record Converted(TypeName typeName, String rawType, String unresolvedType) {
    boolean ok() {
      return rawType == null && unresolvedType == null;
    }
  }

  private final PlannedTypes planned;
  private final String packageName;
  private String rawType;
  private String unresolvedType;

  private TypeConversion(PlannedTypes planned, String packageName) {
    this.planned = planned;
    this.packageName = packageName;
  }

  /** Converts {@code type}, resolving error types against the types planned in {@code packageName}. */
  static Converted convert(TypeMirror type, PlannedTypes planned, String packageName) {
    TypeConversion conversion = new TypeConversion(planned, packageName);
    TypeName typeName = conversion.visit(type);
    return new Converted(typeName, conversion.rawType, conversion.unresolvedType);
  }

  private TypeName visit(TypeMirror type) {
    switch (type.getKind()) {
      case DECLARED:
        return declared((DeclaredType) type);
      case ERROR:
        // A planned type is resolved by name; a parameterized one (Timed<T>) cannot be, because
        // javac does not show its arguments reliably, so it stays unresolved.
        return ((DeclaredType) type).getTypeArguments().isEmpty()
            ? planned(type.toString())
            : unresolved(type.toString());
      case ARRAY:
        return ArrayTypeName.of(visit(((ArrayType) type).getComponentType()));
      case WILDCARD:
        return wildcard((WildcardType) type);
      case TYPEVAR:
        return TypeVariableName.get(type.toString());
      case BOOLEAN:
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
      case CHAR:
      case FLOAT:
      case DOUBLE:
        return TypeName.get(type);
      default:
        // Intersections and the like cannot be written where a parameter type goes.
        return unresolved(type.toString());
    }
  }

  private TypeName declared(DeclaredType type) {
    TypeElement element = (TypeElement) type.asElement();
    TypeName[] arguments =
        type.getTypeArguments().stream().map(this::visit).toArray(TypeName[]::new);
    if (arguments.length == 0 && !element.getTypeParameters().isEmpty()) {
      if (rawType == null) {
        rawType = element.getSimpleName().toString();
      }
      return ClassName.get(element);
    }
    TypeMirror enclosing = type.getEnclosingType();
    if (enclosing instanceof DeclaredType outer
        && !outer.getTypeArguments().isEmpty()
        && !element.getModifiers().contains(Modifier.STATIC)) {
      // An inner class of a generic class: Outer<String>.Inner<Integer>.
      TypeName outerName = visit(outer);
      if (outerName instanceof ParameterizedTypeName parameterizedOuter) {
        return parameterizedOuter.nestedClass(
            element.getSimpleName().toString(), List.of(arguments));
      }
    }
    ClassName className = ClassName.get(element);
    return arguments.length == 0 ? className : ParameterizedTypeName.get(className, arguments);
  }

  private TypeName wildcard(WildcardType type) {
    if (type.getExtendsBound() != null) {
      return WildcardTypeName.subtypeOf(visit(type.getExtendsBound()));
    }
    if (type.getSuperBound() != null) {
      return WildcardTypeName.supertypeOf(visit(type.getSuperBound()));
    }
    return WildcardTypeName.subtypeOf(Object.class);
  }

  private TypeName planned(String written) {
    int dot = written.lastIndexOf('.');
    String typePackage = dot < 0 ? packageName : written.substring(0, dot);
    String simpleName = written.substring(dot + 1);
    if (Names.isTypeName(simpleName) && planned.claimOf(typePackage, simpleName) != null) {
      return ClassName.get(typePackage, simpleName);
    }
    return unresolved(written);
  }

  private TypeName unresolved(String written) {
    if (unresolvedType == null) {
      unresolvedType = written;
    }
    return ClassName.OBJECT;
  }
}
