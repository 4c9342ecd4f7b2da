package dev.converge.processor.validate;

import com.palantir.javapoet.ClassName;
import dev.converge.processor.model.CombinatorMethod;
import dev.converge.processor.model.ConvergeType;
import dev.converge.processor.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks an annotated type (the interface or abstract class declaring {@code @Race}/{@code @Join}
 * methods) and each of its methods, and builds the {@link ConvergeType} to generate from.
 */
public final class TypeValidator {

  /** What validating one annotated type found. */
  public sealed interface Result {}

  /**
   * Everything checked out.
   *
   * @param type what to generate
   */
  public record Valid(ConvergeType type) implements Result {}

  /** Errors were reported; nothing may be generated for this type. */
  public record Invalid() implements Result {}

  /**
   * No error so far, but a type is missing that another processor may still generate.
   *
   * @param unresolved what is missing, to report if it never appears
   */
  public record Deferred(List<Unresolved> unresolved) implements Result {
    /** Copies the list. */
    public Deferred {
      unresolved = List.copyOf(unresolved);
    }

    /**
     * Reports every missing type, on the last round.
     *
     * @param reporter where to report
     */
    public void report(ErrorReporter reporter) {
      for (Unresolved missing : unresolved) {
        reporter.error(missing.element(), missing.problem().message(),
            missing.problem().argumentArray());
      }
    }
  }

  private final ErrorReporter reporter;
  private final PlannedTypes planned;
  private final MethodValidator methods;
  private final Elements elements;
  private final Types types;

  /**
   * Creates a validator for one round.
   *
   * @param reporter where errors go
   * @param planned the types this round generates
   * @param resultTypes reads result type names
   * @param elements the element utilities
   * @param types the type utilities
   */
  public TypeValidator(ErrorReporter reporter, PlannedTypes planned, ResultTypeReader resultTypes,
      Elements elements, Types types) {
    this.reporter = reporter;
    this.planned = planned;
    this.methods = new MethodValidator(reporter, planned, resultTypes, elements, types);
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
   * Validates {@code type} and its annotated methods, reporting every problem.
   *
   * @param type the type declaring {@code @Race}/{@code @Join} methods
   * @return what was found
   */
  public Result validate(TypeElement type) {
    int errorsBefore = reporter.errorCount();
    List<ExecutableElement> annotated = annotatedMethods(type);
    ElementKind kind = type.getKind();
    if (kind != ElementKind.INTERFACE && kind != ElementKind.CLASS) {
      for (ExecutableElement method : annotated) {
        Rule rule = MethodValidator.ruleOf(method);
        reporter.error(method, Message.UNSUPPORTED_ENCLOSING_KIND,
            rule == null ? "Race/@Join" : rule.annotation(),
            method.getSimpleName(), kindName(kind), type.getSimpleName());
      }
      return new Invalid();
    }
    ClassName name = ClassName.get(type);
    ClassName implementation = implementationName(type);
    boolean isPublic = checkAccess(type, implementation);
    checkImplementable(type, implementation);
    checkImplementationName(type, implementation);
    checkUnannotatedAbstractMethods(type);

    List<Unresolved> unresolved = new ArrayList<>();
    List<CombinatorMethod> valid = new ArrayList<>();
    for (ExecutableElement method : annotated) {
      CombinatorMethod model = methods.validate(method, name.packageName(), unresolved);
      if (model != null) {
        valid.add(model);
      }
    }
    if (reporter.errorCount() != errorsBefore) {
      return new Invalid();
    }
    if (!unresolved.isEmpty()) {
      return new Deferred(unresolved);
    }
    return new Valid(new ConvergeType(type, name, implementation, kind == ElementKind.INTERFACE,
        isPublic, valid));
  }

  /** Checks that a top-level class can see and extend the type; returns whether it is public. */
  private boolean checkAccess(TypeElement type, ClassName implementation) {
    boolean isPublic = true;
    boolean isPrivate = false;
    for (Element element = type; element instanceof TypeElement nested;
        element = element.getEnclosingElement()) {
      Element enclosing = nested.getEnclosingElement();
      if (nested.getNestingKind() == NestingKind.LOCAL
          || nested.getNestingKind() == NestingKind.ANONYMOUS) {
        isPrivate = true;
      }
      isPublic &= nested.getModifiers().contains(Modifier.PUBLIC);
      isPrivate |= nested.getModifiers().contains(Modifier.PRIVATE);
      if (nested.getKind() == ElementKind.CLASS && enclosing instanceof TypeElement
          && !nested.getModifiers().contains(Modifier.STATIC)) {
        reporter.error(nested, Message.INNER_CLASS, nested.getQualifiedName());
      }
    }
    if (isPrivate) {
      reporter.error(type, Message.PRIVATE_TYPE, type.getQualifiedName(),
          implementation.simpleName());
    }
    return isPublic;
  }

  private void checkImplementable(TypeElement type, ClassName implementation) {
    String displayName = type.getQualifiedName().toString();
    if (!type.getTypeParameters().isEmpty()) {
      reporter.error(type, Message.GENERIC_TYPE, displayName, implementation.simpleName());
    }
    if (type.getModifiers().contains(Modifier.SEALED)) {
      reporter.error(type, Message.SEALED_TYPE, displayName, implementation.simpleName());
    }
    if (type.getKind() != ElementKind.CLASS) {
      return;
    }
    if (type.getModifiers().contains(Modifier.FINAL)) {
      reporter.error(type, Message.FINAL_CLASS, displayName);
    } else if (!type.getModifiers().contains(Modifier.ABSTRACT)) {
      reporter.error(type, Message.CLASS_NOT_ABSTRACT, displayName);
    }
    boolean constructible = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
        .anyMatch(constructor -> constructor.getParameters().isEmpty()
            && !constructor.getModifiers().contains(Modifier.PRIVATE));
    if (!constructible) {
      reporter.error(type, Message.NO_ACCESSIBLE_CONSTRUCTOR, displayName,
          implementation.simpleName());
    }
  }

  private void checkImplementationName(TypeElement type, ClassName implementation) {
    PlannedTypes.Claim claim =
        planned.claimOf(implementation.packageName(), implementation.simpleName());
    boolean claimedByOther = claim != null && !claim.owner().equals(type);
    if (claimedByOther || elements.getTypeElement(implementation.canonicalName()) != null) {
      reporter.error(type, Message.IMPLEMENTATION_EXISTS, implementation.canonicalName(),
          type.getQualifiedName());
    }
  }

  /**
   * Every abstract method the generated class inherits must carry {@code @Race} or {@code @Join}
   * and be declared by the annotated type itself; anything else it could not implement.
   */
  private void checkUnannotatedAbstractMethods(TypeElement type) {
    List<ExecutableElement> members = ElementFilter.methodsIn(elements.getAllMembers(type));
    for (ExecutableElement method : members) {
      if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
        continue;
      }
      Element declaring = method.getEnclosingElement();
      if (declaring.equals(type)) {
        boolean implementedByObject = type.getKind() == ElementKind.INTERFACE
            && isObjectMethod(method);
        if (!MethodValidator.isAnnotated(method) && !implementedByObject) {
          reporter.error(method, Message.UNIMPLEMENTABLE_METHOD, method.getSimpleName(),
              type.getQualifiedName());
        }
        continue;
      }
      if (isImplemented(method, type, members) || isObjectMethod(method)) {
        continue;
      }
      reporter.error(type, Message.UNIMPLEMENTABLE_INHERITED_METHOD, type.getQualifiedName(),
          method.getSimpleName(), ((TypeElement) declaring).getQualifiedName(),
          type.getSimpleName());
    }
  }

  private boolean isImplemented(ExecutableElement method, TypeElement type,
      List<ExecutableElement> members) {
    for (ExecutableElement other : members) {
      if (other != method && elements.overrides(other, method, type)
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

  private boolean sameParameterTypes(ExecutableElement a, ExecutableElement b) {
    if (a.getParameters().size() != b.getParameters().size()) {
      return false;
    }
    for (int i = 0; i < a.getParameters().size(); i++) {
      if (a.getParameters().get(i).asType().getKind() == TypeKind.ERROR
          || !types.isSameType(types.erasure(a.getParameters().get(i).asType()),
              types.erasure(b.getParameters().get(i).asType()))) {
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
