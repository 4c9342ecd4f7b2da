package dev.converge.processor.validate;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.converge.processor.model.ReturnForm;
import java.util.ArrayList;
import java.util.List;
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
 * <p>The type does not exist yet, so javac shows it as an error type. A plain name can be read from
 * that type; a generic one ({@code Timed<T>}) shows as {@code <any>}, so it is read from the source
 * tree through {@link Trees}, which only javac offers. Where the tree API is missing, a generic
 * result type is reported as an error rather than guessed.
 */
public final class ResultTypeReader {

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

  private final Trees trees;

  /**
   * Creates a reader.
   *
   * @param trees javac's tree API, or {@code null} where the compiler does not offer it
   */
  public ResultTypeReader(Trees trees) {
    this.trees = trees;
  }

  /** Reads the result type of {@code method}, an {@code @Race} or {@code @Join} method. */
  Reading read(ExecutableElement method, String annotation) {
    String methodName = method.getSimpleName().toString();
    String example = Names.capitalize(methodName) + "Result";
    TypeMirror returned = method.getReturnType();

    ReturnForm form;
    TypeMirror result;
    boolean insideFuture;
    String futureName = futureTypeName(returned);
    if (futureName != null) {
      form = futureName.equals("CompletableFuture")
          ? ReturnForm.COMPLETABLE_FUTURE
          : ReturnForm.COMPLETION_STAGE;
      List<? extends TypeMirror> arguments = ((DeclaredType) returned).getTypeArguments();
      if (arguments.isEmpty()) {
        return Reading.failed(form, Problem.of(Message.RAW_RETURN_TYPE,
            annotation, methodName, futureName, futureName, example));
      }
      result = arguments.get(0);
      insideFuture = true;
    } else if (returned.getKind() == TypeKind.ERROR || returned.getKind() == TypeKind.DECLARED) {
      form = ReturnForm.BLOCKING;
      result = returned;
      insideFuture = false;
    } else {
      return Reading.failed(ReturnForm.BLOCKING, Problem.of(Message.UNSUPPORTED_RETURN_TYPE,
          annotation, methodName, returned, "CompletableFuture<" + example + ">"));
    }

    if (result.getKind() == TypeKind.DECLARED) {
      TypeElement existing = (TypeElement) ((DeclaredType) result).asElement();
      return Reading.failed(form, Problem.of(Message.RESULT_TYPE_EXISTS,
          existing.getSimpleName(), annotation, methodName, existing.getQualifiedName(), example));
    }
    if (result.getKind() != TypeKind.ERROR) {
      return Reading.failed(form, Problem.of(Message.UNSUPPORTED_RETURN_TYPE,
          annotation, methodName, returned, "CompletableFuture<" + example + ">"));
    }

    List<String> typeVariables = method.getTypeParameters().stream()
        .map(TypeParameterElement::getSimpleName)
        .map(Object::toString)
        .collect(Collectors.toList());
    String written = result.toString();
    if (typeVariables.isEmpty() && Names.isTypeName(written)) {
      return new Reading(form, written, List.of(), null);
    }
    if (trees == null) {
      return Reading.failed(form, typeVariables.isEmpty()
          ? Problem.of(Message.INVALID_RESULT_TYPE_NAME, written, annotation, methodName, example)
          : Problem.of(Message.TREES_UNAVAILABLE, annotation, methodName));
    }
    return readTree(method, form, insideFuture, annotation, typeVariables, example);
  }

  private Reading readTree(ExecutableElement method, ReturnForm form, boolean insideFuture,
      String annotation, List<String> typeVariables, String example) {
    String methodName = method.getSimpleName().toString();
    MethodTree methodTree = trees.getTree(method);
    if (methodTree == null) {
      return Reading.failed(form, Problem.of(Message.TREES_UNAVAILABLE, annotation, methodName));
    }
    Tree tree = methodTree.getReturnType();
    if (insideFuture) {
      if (!(tree instanceof ParameterizedTypeTree future)
          || future.getTypeArguments().isEmpty()) {
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
      return Reading.failed(form, Problem.of(Message.INVALID_RESULT_TYPE_NAME,
          tree, annotation, methodName, example));
    }
    if (!Names.isTypeName(name)) {
      return Reading.failed(form, Problem.of(Message.INVALID_RESULT_TYPE_NAME,
          name, annotation, methodName, example));
    }
    if (!argumentsAreNames || !arguments.equals(typeVariables)) {
      String expected = typeVariables.isEmpty()
          ? name
          : name + "<" + String.join(", ", typeVariables) + ">";
      return Reading.failed(form, Problem.of(Message.RESULT_TYPE_ARGUMENTS,
          tree, annotation, methodName, expected));
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
    MethodTree tree = trees == null ? null : trees.getTree(method);
    if (tree == null || tree.getTypeParameters().size() <= index) {
      return fallback;
    }
    return tree.getTypeParameters().get(index).getBounds().stream()
        .map(Tree::toString)
        .collect(Collectors.joining(" & "));
  }

  /** Returns {@code CompletableFuture} or {@code CompletionStage} if that is the type, else null. */
  private static String futureTypeName(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
    String name = element.getQualifiedName().toString();
    if (name.equals("java.util.concurrent.CompletableFuture")
        || name.equals("java.util.concurrent.CompletionStage")) {
      return element.getSimpleName().toString();
    }
    return null;
  }
}
