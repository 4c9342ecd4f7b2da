package dev.converge.processor.validate;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.converge.processor.model.ReturnForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Reads the result type a method names in its return type: {@code UserSource} in
 * {@code CompletableFuture<UserSource>}, or {@code PriceSource} in the blocking form.
 *
 * <p>The type does not exist yet, so each compiler shows it as an error type, differently:
 * <ul>
 *   <li>javac shows {@code CompletableFuture<X>} as the declared container with an error type for
 *       {@code X}. A plain name can be read from that error type; a generic one ({@code Timed<T>})
 *       shows as {@code <any>}, so it is read from the source tree through {@link Trees}, which
 *       only javac offers.
 *   <li>Eclipse's compiler shows one error type for the whole return type, whose text is complete
 *       ({@code java.util.concurrent.CompletableFuture<Timed<T>>}); the container is resolved from
 *       that text ({@link TypeText}) and the result type read from its argument. javac 25 also
 *       gives the text of a generic {@code Timed<T>}, so it needs no tree either.
 * </ul>
 * Where neither works, a generic result type is reported as an error rather than guessed.
 */
public final class ResultTypeReader {
  private static final String CONCURRENT = "java.util.concurrent.";

  /**
   * What was read.
   *
   * @param form how the method returns its result
   * @param simpleName the result type's simple name, or {@code null} with a problem
   * @param typeArguments the names of the result type's type arguments, as written
   * @param problem what is wrong, or {@code null}
   */
  record Reading(ReturnForm form, String simpleName, List<String> typeArguments, Problem problem) {
    static Reading failed(ReturnForm form, Problem problem) {
      return new Reading(form, null, List.of(), problem);
    }

    boolean ok() {
      return problem == null;
    }
  }

  /** The method being read, for messages. */
  private record Context(ExecutableElement method, String annotation, List<String> typeVariables) {
    String methodName() {
      return method.getSimpleName().toString();
    }

    String example() {
      return Names.capitalize(methodName()) + "Result";
    }
  }

  private final Optional<Trees> trees;

  /**
   * Creates a reader.
   *
   * @param trees javac's tree API, or empty where the compiler does not offer it
   */
  public ResultTypeReader(Optional<Trees> trees) {
    this.trees = trees;
  }

  /** Reads the result type of {@code method}, an {@code @Race} or {@code @Join} method. */
  Reading read(ExecutableElement method, String annotation) {
    List<String> typeVariables =
        method.getTypeParameters().stream()
            .map(TypeParameterElement::getSimpleName)
            .map(Object::toString)
            .collect(Collectors.toList());
    Context context = new Context(method, annotation, typeVariables);
    String methodName = context.methodName();
    String example = context.example();
    TypeMirror returned = method.getReturnType();

    ReturnForm form;
    TypeMirror result;
    boolean insideFuture;
    Optional<ReturnForm> future = futureForm(returned);
    Optional<TypeText> whole =
        returned.getKind() == TypeKind.ERROR
            ? TypeText.parse(returned.toString())
            : Optional.empty();
    Optional<ReturnForm> writtenFuture = whole.flatMap(written -> futureForm(written.name()));
    if (future.isPresent()) {
      form = future.get();
      List<? extends TypeMirror> arguments = ((DeclaredType) returned).getTypeArguments();
      if (arguments.isEmpty()) {
        return rawReturn(context, form);
      }
      result = arguments.get(0);
      insideFuture = true;
    } else if (writtenFuture.isPresent()) {
      // Eclipse's compiler: the whole CompletableFuture<X> is one error type; read X from its text.
      form = writtenFuture.get();
      List<TypeText> arguments = whole.get().arguments();
      if (arguments.isEmpty()) {
        return rawReturn(context, form);
      }
      return fromText(context, form, arguments.get(0));
    } else if (returned.getKind() == TypeKind.ERROR || returned.getKind() == TypeKind.DECLARED) {
      form = ReturnForm.BLOCKING;
      result = returned;
      insideFuture = false;
    } else {
      return Reading.failed(
          ReturnForm.BLOCKING,
          Problem.of(
              Message.UNSUPPORTED_RETURN_TYPE,
              annotation,
              methodName,
              returned,
              "CompletableFuture<" + example + ">"));
    }

    return readResult(context, form, result, insideFuture);
  }

  /**
   * Reads the result type itself, {@code X} of {@code CompletableFuture<X>} or the blocking return
   * type: it must be a type the processor is to generate, so one that does not exist yet.
   */
  private Reading readResult(
      Context context, ReturnForm form, TypeMirror result, boolean insideFuture) {
    String annotation = context.annotation();
    String methodName = context.methodName();
    String example = context.example();
    if (result.getKind() == TypeKind.DECLARED) {
      TypeElement existing = (TypeElement) ((DeclaredType) result).asElement();
      return Reading.failed(
          form,
          Problem.of(
              Message.RESULT_TYPE_EXISTS,
              existing.getSimpleName(),
              annotation,
              methodName,
              existing.getQualifiedName(),
              example));
    }
    if (result.getKind() != TypeKind.ERROR) {
      return Reading.failed(
          form,
          Problem.of(
              Message.UNSUPPORTED_RETURN_TYPE,
              annotation,
              methodName,
              context.method().getReturnType(),
              "CompletableFuture<" + example + ">"));
    }

    // javac shows a generic not-yet-generated type as <any>, which is no name: that needs the tree.
    String written = result.toString();
    Optional<TypeText> text = TypeText.parse(written);
    if (text.isPresent()) {
      return fromText(context, form, text.get());
    }
    if (trees.isEmpty()) {
      return Reading.failed(
          form,
          context.typeVariables().isEmpty()
              ? Problem.of(
                  Message.INVALID_RESULT_TYPE_NAME, written, annotation, methodName, example)
              : Problem.of(Message.TREES_UNAVAILABLE, annotation, methodName));
    }
    return readTree(trees.get(), context, form, insideFuture);
  }

  /**
   * Reads a result type from its text, {@code Either<T>}: a simple name whose arguments are
   * exactly the method's type variables.
   */
  private static Reading fromText(Context context, ReturnForm form, TypeText type) {
    if (!Names.isTypeName(type.name()) || type.dimensions() > 0) {
      return Reading.failed(
          form,
          Problem.of(
              Message.INVALID_RESULT_TYPE_NAME,
              type.written(),
              context.annotation(),
              context.methodName(),
              context.example()));
    }
    List<String> arguments =
        type.arguments().stream().map(TypeText::written).collect(Collectors.toList());
    if (!arguments.equals(context.typeVariables())) {
      // Each compiler spaces the text its own way (javac 25 writes Pair<B,A>): show one form.
      return Reading.failed(
          form,
          Problem.of(
              Message.RESULT_TYPE_ARGUMENTS,
              type.written(),
              context.annotation(),
              context.methodName(),
              expected(type.name(), context.typeVariables())));
    }
    return new Reading(form, type.name(), arguments, null);
  }

  private static Reading rawReturn(Context context, ReturnForm form) {
    String futureName =
        form == ReturnForm.COMPLETABLE_FUTURE ? "CompletableFuture" : "CompletionStage";
    return Reading.failed(
        form,
        Problem.of(
            Message.RAW_RETURN_TYPE,
            context.annotation(),
            context.methodName(),
            futureName,
            futureName,
            context.example()));
  }

  private static String expected(String name, List<String> typeVariables) {
    return typeVariables.isEmpty() ? name : name + "<" + String.join(", ", typeVariables) + ">";
  }

  private static Reading readTree(
      Trees trees, Context context, ReturnForm form, boolean insideFuture) {
    String annotation = context.annotation();
    String methodName = context.methodName();
    MethodTree methodTree = trees.getTree(context.method());
    if (methodTree == null) {
      return Reading.failed(form, Problem.of(Message.TREES_UNAVAILABLE, annotation, methodName));
    }
    Tree tree = methodTree.getReturnType();
    if (insideFuture) {
      if (!(tree instanceof ParameterizedTypeTree future) || future.getTypeArguments().isEmpty()) {
        return Reading.failed(form, Problem.of(Message.TREES_UNAVAILABLE, annotation, methodName));
      }
      tree = future.getTypeArguments().get(0);
    }

    String name;
    List<String> arguments = new ArrayList<>();
    boolean argumentsAreNames = true;
    if (tree instanceof IdentifierTree identifier) {
      name = identifier.getName().toString();
    } else if (tree instanceof ParameterizedTypeTree parameterized
        && parameterized.getType() instanceof IdentifierTree identifier) {
      name = identifier.getName().toString();
      for (Tree argument : parameterized.getTypeArguments()) {
        if (argument instanceof IdentifierTree argumentName) {
          arguments.add(argumentName.getName().toString());
        } else {
          argumentsAreNames = false;
        }
      }
    } else {
      return Reading.failed(
          form,
          Problem.of(
              Message.INVALID_RESULT_TYPE_NAME, tree, annotation, methodName, context.example()));
    }
    if (!Names.isTypeName(name)) {
      return Reading.failed(
          form,
          Problem.of(
              Message.INVALID_RESULT_TYPE_NAME, name, annotation, methodName, context.example()));
    }
    if (!argumentsAreNames || !arguments.equals(context.typeVariables())) {
      return Reading.failed(
          form,
          Problem.of(
              Message.RESULT_TYPE_ARGUMENTS,
              tree,
              annotation,
              methodName,
              expected(name, context.typeVariables())));
    }
    return new Reading(form, name, List.copyOf(arguments), null);
  }

  /**
   * Returns the bounds of the method's {@code index}-th type variable as written in the source, for
   * messages: javac shows a bound it cannot resolve as {@code <any>}.
   *
   * @return the bounds joined with {@code &}, or {@code fallback} without the tree API
   */
  String boundsAsWritten(ExecutableElement method, int index, String fallback) {
    MethodTree tree = trees.map(api -> api.getTree(method)).orElse(null);
    if (tree == null || tree.getTypeParameters().size() <= index) {
      return fallback;
    }
    return tree.getTypeParameters().get(index).getBounds().stream()
        .map(Tree::toString)
        .collect(Collectors.joining(" & "));
  }

  /** The asynchronous form of a {@code CompletableFuture} or {@code CompletionStage} type. */
  private static Optional<ReturnForm> futureForm(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return Optional.empty();
    }
    TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
    return futureForm(element.getQualifiedName().toString());
  }

  /**
   * The asynchronous form named by {@code name}: qualified as Eclipse's compiler writes a resolved
   * container, or simple, as written in the source.
   */
  private static Optional<ReturnForm> futureForm(String name) {
    String simple = name.startsWith(CONCURRENT) ? name.substring(CONCURRENT.length()) : name;
    switch (simple) {
      case "CompletableFuture":
        return Optional.of(ReturnForm.COMPLETABLE_FUTURE);
      case "CompletionStage":
        return Optional.of(ReturnForm.COMPLETION_STAGE);
      default:
        return Optional.empty();
    }
  }
}
