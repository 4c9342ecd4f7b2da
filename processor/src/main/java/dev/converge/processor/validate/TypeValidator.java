package dev.converge.processor.validate;

import com.palantir.javapoet.ClassName;
import dev.converge.processor.model.CombinatorMethod;
import dev.converge.processor.model.ConvergeType;
import dev.converge.processor.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks an annotated type (the interface or abstract class declaring {@code @Race}/{@code @Join}
 * methods) and each of its methods, and builds the {@link ConvergeType} to generate from.
 */
public final class TypeValidator {

  /**
   * What validating one annotated type found.
   *
   * @param report every error and missing type, of the type itself and of each of its methods
   * @param model the type with the methods that passed validation, whose result types can be
   *     generated even when another method or the type itself has errors; empty when no result type
   *     can be generated (the type is an enum, a record, an annotation type or generic)
   */
  public record TypeValidation(ValidationReport report, Optional<ConvergeType> model) {

    /**
     * Tells whether the whole type is valid, so its implementation class can be generated.
     *
     * @return {@code true} if the report is clean
     */
    public boolean isComplete() {
      return report.isClean();
    }
  }

  private final PlannedTypes planned;
  private final MethodValidator methods;
  private final Elements elements;
  private final Types types;

  /**
   * Creates a validator for one round.
   *
   * @param planned the types this round generates
   * @param resultTypes reads result type names
   * @param elements the element utilities
   * @param types the type utilities
   */
  public TypeValidator(
      PlannedTypes planned, ResultTypeReader resultTypes, Elements elements, Types types) {
    this.planned = planned;
    this.methods = new MethodValidator(planned, resultTypes, elements, types);
    this.elements = elements;
    this.types = types;
  }

  /**
   * Returns the name of the class generated for {@code type}: {@code ConvergeLookups}, or
   * {@code ConvergeOuter_Lookups} for a nested type.
   *
   * @param type an annotated type
   * @return its implementation class name, in its package
   */
  public static ClassName implementationName(TypeElement type) {
    ClassName name = ClassName.get(type);
    return ClassName.get(name.packageName(), Names.implementationName(name.simpleNames()));
  }

  /**
   * Returns the {@code @Race} and {@code @Join} methods declared by {@code type}, in source order.
   *
   * @param type an annotated type
   * @return its annotated methods
   */
  public static List<ExecutableElement> annotatedMethods(TypeElement type) {
    List<ExecutableElement> annotated = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (MethodValidator.isAnnotated(method)) {
        annotated.add(method);
      }
    }
    return annotated;
  }

  /**
   * Validates {@code type} and each of its annotated methods, finding every problem.
   *
   * @param type the type declaring {@code @Race}/{@code @Join} methods
   * @return what was found
   */
  public TypeValidation validate(TypeElement type) {
    ValidationReport.Builder report = ValidationReport.builder();
    List<ExecutableElement> annotated = annotatedMethods(type);
    ElementKind kind = type.getKind();
    if (kind != ElementKind.INTERFACE && kind != ElementKind.CLASS) {
      for (ExecutableElement method : annotated) {
        String annotation =
            MethodValidator.ruleOf(method).map(Rule::annotation).orElse("Race/@Join");
        report.error(
            method,
            Message.UNSUPPORTED_ENCLOSING_KIND,
            annotation,
            method.getSimpleName(),
            kindName(kind),
            type.getSimpleName());
      }
      return new TypeValidation(report.build(), Optional.empty());
    }
    ClassName name = ClassName.get(type);
    ClassName implementation = implementationName(type);
    boolean isPublic = checkAccess(report, type, implementation);
    checkImplementable(report, type, implementation);
    checkImplementationName(report, type, implementation);
    checkUnannotatedAbstractMethods(report, type);

    List<CombinatorMethod> valid = new ArrayList<>();
    for (ExecutableElement method : annotated) {
      Validated<CombinatorMethod> model = methods.validate(method, name.packageName());
      report.addAll(model.report());
      model.value().ifPresent(valid::add);
    }
    // A type variable of the type (or of a type enclosing it) may appear in a method's branches,
    // and a private or local type may use types that only it can see; a top-level result type
    // could name neither, so such a type generates nothing at all.
    Optional<ConvergeType> model =
        !hasTypeVariablesInScope(type) && !isPrivate(type)
            ? Optional.of(
                new ConvergeType(
                    type, name, implementation, kind == ElementKind.INTERFACE, isPublic, valid))
            : Optional.empty();
    return new TypeValidation(report.build(), model);
  }

  /** Tells whether {@code type} or a type enclosing it declares type parameters. */
  private static boolean hasTypeVariablesInScope(TypeElement type) {
    for (Element element = type;
        element instanceof TypeElement nested;
        element = element.getEnclosingElement()) {
      if (!nested.getTypeParameters().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Tells whether {@code type} is local, anonymous, private or nested in such a type. */
  private static boolean isPrivate(TypeElement type) {
    for (Element element = type;
        element instanceof TypeElement nested;
        element = element.getEnclosingElement()) {
      if (nested.getNestingKind() == NestingKind.LOCAL
          || nested.getNestingKind() == NestingKind.ANONYMOUS
          || nested.getModifiers().contains(Modifier.PRIVATE)) {
        return true;
      }
    }
    return false;
  }

  /** Checks that a top-level class can see and extend the type; returns whether it is public. */
  private static boolean checkAccess(
      ValidationReport.Builder report, TypeElement type, ClassName implementation) {
    boolean isPublic = true;
    for (Element element = type;
        element instanceof TypeElement nested;
        element = element.getEnclosingElement()) {
      Element enclosing = nested.getEnclosingElement();
      isPublic &= nested.getModifiers().contains(Modifier.PUBLIC);
      if (nested.getKind() == ElementKind.CLASS
          && enclosing instanceof TypeElement
          && !nested.getModifiers().contains(Modifier.STATIC)) {
        report.error(nested, Message.INNER_CLASS, nested.getQualifiedName());
      }
    }
    if (isPrivate(type)) {
      report.error(
          type, Message.PRIVATE_TYPE, type.getQualifiedName(), implementation.simpleName());
    }
    return isPublic;
  }

  private static void checkImplementable(
      ValidationReport.Builder report, TypeElement type, ClassName implementation) {
    String displayName = type.getQualifiedName().toString();
    if (!type.getTypeParameters().isEmpty()) {
      report.error(type, Message.GENERIC_TYPE, displayName, implementation.simpleName());
    }
    if (type.getModifiers().contains(Modifier.SEALED)) {
      report.error(type, Message.SEALED_TYPE, displayName, implementation.simpleName());
    }
    if (type.getKind() != ElementKind.CLASS) {
      return;
    }
    if (type.getModifiers().contains(Modifier.FINAL)) {
      report.error(type, Message.FINAL_CLASS, displayName);
    } else if (!type.getModifiers().contains(Modifier.ABSTRACT)) {
      report.error(type, Message.CLASS_NOT_ABSTRACT, displayName);
    }
    boolean constructible =
        ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
            .anyMatch(
                constructor ->
                    constructor.getParameters().isEmpty()
                        && !constructor.getModifiers().contains(Modifier.PRIVATE));
    if (!constructible) {
      report.error(
          type, Message.NO_ACCESSIBLE_CONSTRUCTOR, displayName, implementation.simpleName());
    }
  }

  private void checkImplementationName(
      ValidationReport.Builder report, TypeElement type, ClassName implementation) {
    PlannedTypes.Claim claim =
        planned.claimOf(implementation.packageName(), implementation.simpleName());
    boolean claimedByOther = claim != null && !claim.owner().equals(type);
    if (claimedByOther || elements.getTypeElement(implementation.canonicalName()) != null) {
      report.error(
          type,
          Message.IMPLEMENTATION_EXISTS,
          implementation.canonicalName(),
          type.getQualifiedName());
    }
  }

  /**
   * Every abstract method the generated class inherits must carry {@code @Race} or {@code @Join}
   * and be declared by the annotated type itself; anything else it could not implement.
   */
  private void checkUnannotatedAbstractMethods(ValidationReport.Builder report, TypeElement type) {
    List<ExecutableElement> members = ElementFilter.methodsIn(elements.getAllMembers(type));
    for (ExecutableElement method : members) {
      if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
        continue;
      }
      Element declaring = method.getEnclosingElement();
      if (declaring.equals(type)) {
        boolean implementedByObject =
            type.getKind() == ElementKind.INTERFACE && isObjectMethod(method);
        if (!MethodValidator.isAnnotated(method) && !implementedByObject) {
          report.error(
              method,
              Message.UNIMPLEMENTABLE_METHOD,
              method.getSimpleName(),
              type.getQualifiedName());
        }
        continue;
      }
      if (isImplemented(method, type, members) || isObjectMethod(method)) {
        continue;
      }
      report.error(
          type,
          Message.UNIMPLEMENTABLE_INHERITED_METHOD,
          type.getQualifiedName(),
          method.getSimpleName(),
          ((TypeElement) declaring).getQualifiedName(),
          type.getSimpleName());
    }
  }

  private boolean isImplemented(
      ExecutableElement method, TypeElement type, List<ExecutableElement> members) {
    for (ExecutableElement other : members) {
      if (other != method
          && elements.overrides(other, method, type)
          && (!other.getModifiers().contains(Modifier.ABSTRACT)
              || other.getEnclosingElement().equals(type))) {
        return true;
      }
    }
    return false;
  }

  /** An interface may redeclare {@code equals}, {@code hashCode} or {@code toString}. */
  private boolean isObjectMethod(ExecutableElement method) {
    TypeElement object = elements.getTypeElement("java.lang.Object");
    for (ExecutableElement objectMethod : ElementFilter.methodsIn(object.getEnclosedElements())) {
      if (objectMethod.getModifiers().contains(Modifier.PUBLIC)
          && objectMethod.getSimpleName().equals(method.getSimpleName())
          && sameParameterTypes(objectMethod, method)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether {@code declared}, a method the user wrote, has the parameter types of
   * {@code objectMethod}. javac calls an error type the same as any type, so a parameter whose
   * type does not exist ({@code equals(Missing m)}) is checked first: it never matches.
   */
  private boolean sameParameterTypes(ExecutableElement objectMethod, ExecutableElement declared) {
    if (objectMethod.getParameters().size() != declared.getParameters().size()) {
      return false;
    }
    for (int i = 0; i < objectMethod.getParameters().size(); i++) {
      TypeMirror declaredType = declared.getParameters().get(i).asType();
      if (declaredType.getKind() == TypeKind.ERROR
          || !types.isSameType(
              types.erasure(objectMethod.getParameters().get(i).asType()),
              types.erasure(declaredType))) {
        return false;
      }
    }
    return true;
  }

  private static String kindName(ElementKind kind) {
    switch (kind) {
      case ANNOTATION_TYPE:
        return "annotation type";
      default:
        return kind.name().toLowerCase(Locale.ROOT);
    }
  }
}
