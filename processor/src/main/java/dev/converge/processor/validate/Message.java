package dev.converge.processor.validate;

import java.util.Locale;

/**
 * Every error the processor reports, in one place. Each message says what is wrong and, after the
 * semicolon, what would be right. Arguments are filled in with {@link String#format}.
 */
public enum Message {
  TOO_FEW_PARAMETERS("@%s method '%s' needs at least 2 parameters; add another future to %s"),
  UNSUPPORTED_PARAMETER_TYPE(
      "parameter '%s' of @%s method '%s' has type %s, which Converge cannot start or await; declare"
          + " it as CompletionStage<T>, CompletableFuture<T>, Callable<T> or"
          + " Supplier<? extends CompletionStage<T>>"),
  SUPPLIER_WILDCARD_VALUE(
      "parameter '%s' of @%s method '%s' supplies a stage whose value type is the wildcard %s;"
          + " name the value type exactly, e.g. Supplier<CompletionStage<Price>>"),
  RAW_PARAMETER_TYPE(
      "parameter '%s' of @%s method '%s' uses the raw type %s; give it type arguments, e.g. %s<User>"),
  RAW_RETURN_TYPE(
      "@%s method '%s' returns the raw type %s; name the result type to generate, e.g. %s<%s>"),
  UNSUPPORTED_RETURN_TYPE(
      "@%s method '%s' returns %s; return CompletableFuture<R> or CompletionStage<R>, or R itself in"
          + " the blocking form, where R is the name of the result type Converge generates, e.g. %s"),
  BLOCKING_WITHOUT_INTERRUPTED_EXCEPTION(
      "blocking @%s method '%s' must declare 'throws InterruptedException' because waiting can be"
          + " interrupted; add it, or return CompletableFuture<%s> instead"),
  RESULT_TYPE_EXISTS(
      "result type %s of @%s method '%s' already exists (%s); write the name of a new type for"
          + " Converge to generate, e.g. %s"),
  RESULT_TYPE_CLASH(
      "result type %s of @%s method '%s' is also the result type of %s; give each method its own"
          + " result type name"),
  RESULT_TYPE_NAMES_IMPLEMENTATION(
      "result type %s of @%s method '%s' is the name of the class Converge generates for %s;"
          + " choose another name"),
  INVALID_RESULT_TYPE_NAME(
      "result type %s of @%s method '%s' is not a valid simple type name; write a plain Java"
          + " identifier such as %s"),
  RESULT_TYPE_ARGUMENTS(
      "result type %s of @%s method '%s' must list exactly the method's type variables, in order;"
          + " write %s"),
  UNSUPPORTED_TYPE_VARIABLE_BOUND(
      "type variable %s of @%s method '%s' has a bound (%s) that the generated result type cannot"
          + " carry; bound it by existing types only"),
  TREES_UNAVAILABLE(
      "cannot read the generic result type of @%s method '%s': javac shows a not-yet-generated"
          + " generic type only as <any>, and the processing environment this build tool passes"
          + " gives no access to javac's own (com.sun.source.util.Trees); make the method"
          + " non-generic, or compile with javac directly or with Eclipse's compiler"),
  VARIANT_NAME_COLLISION(
      "parameters '%s' and '%s' of @Race method '%s' would both name the variant %s; rename one of"
          + " them"),
  VARIANT_NAMED_LIKE_RESULT(
      "parameter '%s' of @Race method '%s' would name its variant %s, like the result type; rename"
          + " the parameter or the result type"),
  VARIANT_NAMED_LIKE_TYPE_VARIABLE(
      "parameter '%s' of @Race method '%s' would name its variant %s, like the method's type"
          + " variable; rename the parameter or the type variable"),
  RESERVED_COMPONENT_NAME(
      "parameter '%s' of @Join method '%s' cannot name a record component because %s() is a method"
          + " of java.lang.Object; rename the parameter"),
  STATIC_METHOD(
      "@%s method '%s' is static; make it an abstract instance method so Converge can implement it"),
  DEFAULT_METHOD(
      "@%s method '%s' is a default method; remove 'default' and the body so Converge can implement"
          + " it"),
  PRIVATE_METHOD(
      "@%s method '%s' is private; make it an abstract method that is not private so Converge can"
          + " implement it"),
  CONCRETE_METHOD("@%s method '%s' has a body; declare it abstract so Converge can implement it"),
  RACE_AND_JOIN(
      "method '%s' carries both @Race and @Join; keep the one that says what it should do"),
  UNSUPPORTED_ENCLOSING_KIND(
      "@%s method '%s' is declared in %s %s; declare it in an interface or an abstract class"),
  CLASS_NOT_ABSTRACT(
      "class %s has @Race or @Join methods but is not abstract; make it abstract, or an interface,"
          + " so Converge can implement it"),
  FINAL_CLASS(
      "class %s is final, so Converge cannot extend it; remove 'final' and make it abstract"),
  SEALED_TYPE("%s is sealed, so the generated %s cannot implement it; remove 'sealed'"),
  NO_ACCESSIBLE_CONSTRUCTOR(
      "class %s has no accessible no-argument constructor for the generated %s to call; add one that"
          + " is not private"),
  INNER_CLASS("%s is an inner class, so a top-level class cannot extend it; make it static"),
  PRIVATE_TYPE(
      "%s is private or nested in a private type, so the generated %s cannot see it; make it"
          + " package-private or public"),
  GENERIC_TYPE(
      "%s declares type parameters, which the generated %s cannot choose; move the type variables"
          + " to the methods"),
  UNIMPLEMENTABLE_METHOD(
      "abstract method '%s' of %s has neither @Race nor @Join, so Converge cannot implement it;"
          + " annotate it, or give it a body"),
  UNIMPLEMENTABLE_INHERITED_METHOD(
      "%s inherits abstract method '%s' from %s, which Converge cannot implement; redeclare it in %s"
          + " with @Race or @Join, or implement it"),
  KEEP_WITHOUT_COMBINATOR(
      "@Keep on parameter '%s' of '%s' has no effect because that method has neither @Race nor"
          + " @Join; remove @Keep, or annotate the method"),
  IMPLEMENTATION_EXISTS(
      "Converge generates %s for %s, but a type with that name already exists; rename that type"),
  UNRESOLVED_PARAMETER_TYPE(
      "parameter '%s' of @%s method '%s' has type %s, which does not exist; import or declare %s"),
  UNRESOLVED_THROWN_TYPE(
      "@%s method '%s' declares 'throws %s', which does not exist; import or declare %s"),
  UNEXPECTED_FAILURE(
      "Converge failed while processing %s (%s); this is a bug in Converge, please report it with"
          + " this source (compile with -A%s for the stack trace)"),
  WRITE_FAILED(
      "Converge could not write the generated %s (%s); check the output directory and that no"
          + " other processor generates a type with that name");

  private final String format;

  Message(String format) {
    this.format = format;
  }

  /**
   * Returns the message with its arguments filled in.
   *
   * @param arguments one per {@code %s} in the message, in order
   * @return the text to report
   */
  public String format(Object... arguments) {
    return String.format(Locale.ROOT, format, arguments);
  }
}
