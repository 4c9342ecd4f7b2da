package dev.converge.processor.validate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import dev.converge.Join;
import dev.converge.Race;
import dev.converge.processor.model.Branch;
import dev.converge.processor.model.CombinatorMethod;
import dev.converge.processor.model.ResultType;
import dev.converge.processor.model.ReturnForm;
import dev.converge.processor.model.Rule;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one {@code @Race} or {@code @Join} method against docs/design.md sections 3.4 and 3.6 and
 * turns it into a {@link CombinatorMethod}. Every rule is checked, so one compile reports every
 * problem of the method; the method is valid only if none was reported.
 */
final class MethodValidator {
  /** Names a record component cannot have: its accessor would clash with a method of Object. */
  private static final Set<String> OBJECT_METHOD_NAMES =
      Set.of(
          "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

  private final PlannedTypes planned;
  private final ResultTypeReader resultTypes;
  private final BranchValidator branches;
  private final Elements elements;
  private final Types types;

  MethodValidator(
      PlannedTypes planned, ResultTypeReader resultTypes, Elements elements, Types types) {
    this.planned = planned;
    this.resultTypes = resultTypes;
    this.branches = new BranchValidator(planned);
    this.elements = elements;
    this.types = types;
  }

  /** Returns the rule of a method that carries exactly one of the annotations. */
  static Optional<Rule> ruleOf(Element method) {
    Race race = method.getAnnotation(Race.class);
    Join join = method.getAnnotation(Join.class);
    if (race != null && join == null) {
      return Optional.of(
          race.value() == Race.Mode.FIRST_SUCCESS ? Rule.FIRST_SUCCESS : Rule.FIRST_COMPLETED);
    }
    if (join != null && race == null) {
      return Optional.of(join.value() == Join.Mode.SETTLE_ALL ? Rule.SETTLE_ALL : Rule.FAIL_FAST);
    }
    return Optional.empty();
  }

  /** Tells whether a method carries {@code @Race}, {@code @Join} or both. */
  static boolean isAnnotated(Element method) {
    return method.getAnnotation(Race.class) != null || method.getAnnotation(Join.class) != null;
  }

  /**
   * Validates {@code method}, checking every rule so one compile shows every problem of it.
   *
   * <p>Long because the rules are checked in the order their messages are reported, each a few
   * lines; the larger groups (branches, thrown types) are already methods of their own.
   *
   * @return the model if nothing was found, and the report
   */
  Validated<CombinatorMethod> validate(ExecutableElement method, String packageName) {
    ValidationReport.Builder report = ValidationReport.builder();
    String methodName = method.getSimpleName().toString();
    Optional<Rule> annotated = ruleOf(method);
    if (annotated.isEmpty()) {
      return Validated.failed(report.error(method, Message.RACE_AND_JOIN, methodName).build());
    }
    Rule rule = annotated.get();
    MethodContext context = new MethodContext(method, rule, packageName);
    checkModifiers(report, method, context);
    if (method.getParameters().size() < 2) {
      report.error(
          method,
          Message.TOO_FEW_PARAMETERS,
          rule.annotation(),
          methodName,
          rule.isRace() ? "race against" : "join with");
    }

    ResultTypeReader.Reading reading = resultTypes.read(method, rule.annotation());
    Optional<ResultType> result = Optional.empty();
    if (!reading.ok()) {
      report.error(method, reading.problem());
    } else {
      result = checkResultName(report, method, context, reading.simpleName());
    }
    // A return type that is no type at all (void, int) is one mistake, reported once above.
    boolean returnsAType =
        reading.ok() || reading.problem().message() != Message.UNSUPPORTED_RETURN_TYPE;
    if (reading.form() == ReturnForm.BLOCKING
        && returnsAType
        && !declaresInterruptedException(method)) {
      report.error(
          method,
          Message.BLOCKING_WITHOUT_INTERRUPTED_EXCEPTION,
          rule.annotation(),
          methodName,
          reading.ok() ? reading.simpleName() : "R");
    }
    List<TypeVariableName> typeVariables = typeVariables(report, method, context);

    List<Branch> validBranches =
        validateBranches(report, method, context, reading.simpleName(), typeVariables);
    Thrown thrown = thrownTypes(report, method, context);

    ValidationReport found = report.build();
    if (!found.isClean() || result.isEmpty()) {
      return Validated.failed(found);
    }
    ResultType generic = new ResultType(result.get().className(), typeVariables);
    return Validated.of(
        found,
        new CombinatorMethod(
            methodName,
            rule,
            reading.form(),
            generic,
            validBranches,
            typeVariables,
            access(method),
            thrown.types(),
            thrown.rethrownCauses()));
  }

  /**
   * Validates every parameter as a branch and, when all of them are valid, the names the branches
   * give to the generated variants or components.
   *
   * @return the valid branches, in parameter order
   */
  private List<Branch> validateBranches(
      ValidationReport.Builder report,
      ExecutableElement method,
      MethodContext context,
      String resultName,
      List<TypeVariableName> typeVariables) {
    List<Branch> validBranches = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      Validated<Branch> branch = branches.validate(parameter, context);
      report.addAll(branch.report());
      branch.value().ifPresent(validBranches::add);
    }
    if (validBranches.size() == method.getParameters().size()) {
      if (context.rule().isRace()) {
        checkVariantNames(report, method, validBranches, resultName, typeVariables);
      } else {
        checkComponentNames(report, method, validBranches);
      }
    }
    return validBranches;
  }

  /** The types a method declares it throws, and those the blocking form rethrows as causes. */
  private record Thrown(List<TypeName> types, List<TypeName> rethrownCauses) {}

  private Thrown thrownTypes(
      ValidationReport.Builder report, ExecutableElement method, MethodContext context) {
    List<TypeName> thrownTypes = new ArrayList<>();
    List<TypeName> rethrownCauses = new ArrayList<>();
    for (TypeMirror thrown : method.getThrownTypes()) {
      TypeConversion.Converted converted =
          TypeConversion.convert(thrown, planned, context.packageName());
      if (!converted.ok()) {
        report.missing(
            method,
            Message.UNRESOLVED_THROWN_TYPE,
            context.annotation(),
            context.methodName(),
            thrown,
            thrown);
        continue;
      }
      thrownTypes.add(converted.typeName());
      if (isRethrownCause(thrown)) {
        rethrownCauses.add(converted.typeName());
      }
    }
    return new Thrown(thrownTypes, rethrownCauses);
  }

  private static void checkModifiers(
      ValidationReport.Builder report, ExecutableElement method, MethodContext context) {
    Set<Modifier> modifiers = method.getModifiers();
    Object[] arguments = {context.annotation(), context.methodName()};
    if (modifiers.contains(Modifier.STATIC)) {
      report.error(method, Message.STATIC_METHOD, arguments);
    } else if (modifiers.contains(Modifier.PRIVATE)) {
      report.error(method, Message.PRIVATE_METHOD, arguments);
    } else if (modifiers.contains(Modifier.DEFAULT)) {
      report.error(method, Message.DEFAULT_METHOD, arguments);
    } else if (!modifiers.contains(Modifier.ABSTRACT)) {
      report.error(method, Message.CONCRETE_METHOD, arguments);
    }
  }

  /** Checks that the name is free in the package; returns the (not yet generic) result type. */
  private Optional<ResultType> checkResultName(
      ValidationReport.Builder report,
      ExecutableElement method,
      MethodContext context,
      String simpleName) {
    String packageName = context.packageName();
    String example = Names.capitalize(context.methodName()) + "Result";
    PlannedTypes.Claim claim = planned.claimOf(packageName, simpleName);
    if (claim != null && !claim.owner().equals(method)) {
      if (claim.owner().getKind().isClass() || claim.owner().getKind().isInterface()) {
        report.error(
            method,
            Message.RESULT_TYPE_NAMES_IMPLEMENTATION,
            simpleName,
            context.annotation(),
            context.methodName(),
            claim.description());
      } else {
        report.error(
            method,
            Message.RESULT_TYPE_CLASH,
            simpleName,
            context.annotation(),
            context.methodName(),
            claim.description());
      }
      return Optional.empty();
    }
    String qualifiedName = packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    if (elements.getTypeElement(qualifiedName) != null) {
      report.error(
          method,
          Message.RESULT_TYPE_EXISTS,
          simpleName,
          context.annotation(),
          context.methodName(),
          qualifiedName,
          example);
      return Optional.empty();
    }
    return Optional.of(new ResultType(ClassName.get(packageName, simpleName), List.of()));
  }

  private List<TypeVariableName> typeVariables(
      ValidationReport.Builder report, ExecutableElement method, MethodContext context) {
    List<TypeVariableName> variables = new ArrayList<>();
    List<? extends TypeParameterElement> parameters = method.getTypeParameters();
    for (int index = 0; index < parameters.size(); index++) {
      TypeParameterElement parameter = parameters.get(index);
      List<TypeName> bounds = new ArrayList<>();
      for (TypeMirror bound : parameter.getBounds()) {
        if (isObject(bound)) {
          continue;
        }
        TypeConversion.Converted converted =
            TypeConversion.convert(bound, planned, context.packageName());
        if (!converted.ok()) {
          report.error(
              method,
              Message.UNSUPPORTED_TYPE_VARIABLE_BOUND,
              parameter.getSimpleName(),
              context.annotation(),
              context.methodName(),
              resultTypes.boundsAsWritten(method, index, bound.toString()));
          continue;
        }
        bounds.add(converted.typeName());
      }
      variables.add(
          TypeVariableName.get(
              parameter.getSimpleName().toString(), bounds.toArray(TypeName[]::new)));
    }
    return variables;
  }

  private static void checkVariantNames(
      ValidationReport.Builder report,
      ExecutableElement method,
      List<Branch> validBranches,
      String resultName,
      List<TypeVariableName> typeVariables) {
    String methodName = method.getSimpleName().toString();
    Map<String, Branch> byVariant = new HashMap<>();
    for (int i = 0; i < validBranches.size(); i++) {
      Branch branch = validBranches.get(i);
      VariableElement parameter = method.getParameters().get(i);
      Branch earlier = byVariant.putIfAbsent(branch.variantName(), branch);
      if (earlier != null) {
        report.error(
            parameter,
            Message.VARIANT_NAME_COLLISION,
            earlier.name(),
            branch.name(),
            methodName,
            branch.variantName());
      }
      if (branch.variantName().equals(resultName)) {
        report.error(
            parameter,
            Message.VARIANT_NAMED_LIKE_RESULT,
            branch.name(),
            methodName,
            branch.variantName());
      }
      for (TypeVariableName variable : typeVariables) {
        if (variable.name().equals(branch.variantName())) {
          report.error(
              parameter,
              Message.VARIANT_NAMED_LIKE_TYPE_VARIABLE,
              branch.name(),
              methodName,
              branch.variantName());
        }
      }
    }
  }

  private static void checkComponentNames(
      ValidationReport.Builder report, ExecutableElement method, List<Branch> validBranches) {
    for (int i = 0; i < validBranches.size(); i++) {
      String name = validBranches.get(i).name();
      if (OBJECT_METHOD_NAMES.contains(name)) {
        report.error(
            method.getParameters().get(i),
            Message.RESERVED_COMPONENT_NAME,
            name,
            method.getSimpleName(),
            name);
      }
    }
  }

  private boolean declaresInterruptedException(ExecutableElement method) {
    TypeMirror interrupted = typeOf("java.lang.InterruptedException");
    return method.getThrownTypes().stream()
        .anyMatch(
            thrown ->
                thrown.getKind() == TypeKind.DECLARED && types.isAssignable(interrupted, thrown));
  }

  /**
   * Tells whether the blocking form unwraps a declared exception from {@code CompletionException}:
   * checked exceptions other than {@code InterruptedException}, which is left wrapped so a failing
   * branch is never mistaken for the caller's own interruption. A type variable cannot be tested
   * with {@code instanceof}, so it stays wrapped too.
   */
  private boolean isRethrownCause(TypeMirror thrown) {
    if (thrown.getKind() != TypeKind.DECLARED) {
      return false;
    }
    return !types.isAssignable(thrown, typeOf("java.lang.RuntimeException"))
        && !types.isAssignable(thrown, typeOf("java.lang.Error"))
        && !types.isSameType(thrown, typeOf("java.lang.InterruptedException"));
  }

  /** Error types are "the same" as anything to javac, so look at the kind first. */
  private boolean isObject(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED
        && types.isSameType(type, typeOf("java.lang.Object"));
  }

  private TypeMirror typeOf(String qualifiedName) {
    return elements.getTypeElement(qualifiedName).asType();
  }

  private static Set<Modifier> access(ExecutableElement method) {
    Set<Modifier> access = EnumSet.noneOf(Modifier.class);
    if (method.getModifiers().contains(Modifier.PUBLIC)) {
      access.add(Modifier.PUBLIC);
    } else if (method.getModifiers().contains(Modifier.PROTECTED)) {
      access.add(Modifier.PROTECTED);
    }
    return access;
  }
}
