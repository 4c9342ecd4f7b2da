package dev.converge.processor.generate;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.converge.processor.model.ConvergeType;
import java.io.IOException;
import java.io.Writer;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.tools.JavaFileObject;

/**
 * What every generated file shares: the {@code @Generated} annotation, the package, the
 * indentation, and the single originating element (the annotated type) that Gradle's isolating
 * mode relies on.
 */
public final class GeneratedFiles {
  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");

  private final String generator;
  private final boolean generatedAvailable;

  /**
   * Creates the shared settings.
   *
   * @param generator the processor's class name, the value of {@code @Generated}
   * @param generatedAvailable whether {@code javax.annotation.processing.Generated} is visible to
   *     the code being compiled (it is not in a named module that does not read java.compiler)
   */
  public GeneratedFiles(String generator, boolean generatedAvailable) {
    this.generator = generator;
    this.generatedAvailable = generatedAvailable;
  }

  /** Adds {@code @Generated}, the access modifier and the originating element to a type. */
  TypeSpec.Builder prepare(TypeSpec.Builder type, ConvergeType owner) {
    if (generatedAvailable) {
      type.addAnnotation(
          AnnotationSpec.builder(GENERATED).addMember("value", "$S", generator).build());
    }
    if (owner.isPublic()) {
      type.addModifiers(Modifier.PUBLIC);
    }
    return type.addOriginatingElement(owner.element());
  }

  /**
   * Writes {@code file} through {@code filer}, naming the type's originating element (the
   * annotated type) and laying out what JavaPoet lays out awkwardly ({@link SourceLayout}).
   *
   * @param file a file built by one of the writers
   * @param filer the processing environment's filer
   * @throws IOException if the file cannot be created or written
   */
  public static void write(JavaFile file, Filer filer) throws IOException {
    String name =
        file.packageName().isEmpty()
            ? file.typeSpec().name()
            : file.packageName() + "." + file.typeSpec().name();
    JavaFileObject source =
        filer.createSourceFile(name, file.typeSpec().originatingElements().toArray(Element[]::new));
    try (Writer writer = source.openWriter()) {
      writer.write(SourceLayout.apply(file.toString()));
    }
  }

  /** Wraps a top-level type in a file of the owner's package. */
  JavaFile file(ConvergeType owner, TypeSpec type) {
    return JavaFile.builder(owner.packageName(), type)
        .indent("  ")
        .skipJavaLangImports(true)
        .build();
  }
}
