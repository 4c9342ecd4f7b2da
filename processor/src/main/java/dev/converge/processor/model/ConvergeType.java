package dev.converge.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * An annotated interface or abstract class, with its methods that passed validation: all of them
 * when the whole type is valid (and its implementation is generated), else the ones whose result
 * types can still be generated.
 *
 * @param element the annotated type; the single originating element of every file generated for it
 * @param name the annotated type's name ({@code Outer.Lookups})
 * @param implementation the class to generate ({@code ConvergeOuter_Lookups})
 * @param isInterface {@code true} to implement an interface, {@code false} to extend a class
 * @param isPublic whether the generated types are public (the annotated type and every type
 *     enclosing it are public) or package-private
 * @param methods the valid {@code @Race} and {@code @Join} methods, in source order
 */
public record ConvergeType(
    TypeElement element,
    ClassName name,
    ClassName implementation,
    boolean isInterface,
    boolean isPublic,
    List<CombinatorMethod> methods) {

  /** Copies the methods so the model stays immutable. */
  public ConvergeType {
    methods = List.copyOf(methods);
  }

  /**
   * Returns the package every generated type of this annotated type goes into.
   *
   * @return the annotated type's package name, empty for the unnamed package
   */
  public String packageName() {
    return name.packageName();
  }
}
