package dev.converge.it.build;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * A {@code ProcessingEnvironment} in the shape of the one Gradle hands to incremental processors:
 * not javac's own class, forwarding to it through a {@code delegate} field, with a filer that
 * records the originating elements of every file, as Gradle's isolating mode does.
 */
final class GradleStyleEnvironment implements ProcessingEnvironment {

  /**
   * One {@code createSourceFile} call.
   *
   * @param name the type created
   * @param originatingElements the elements named as its origin
   */
  record Created(String name, List<Element> originatingElements) {}

  private final ProcessingEnvironment delegate;
  private final Filer filer;

  private GradleStyleEnvironment(ProcessingEnvironment delegate, List<Created> created) {
    this.delegate = delegate;
    this.filer = new RecordingFiler(delegate.getFiler(), created);
  }

  /** Runs {@code processor} behind this environment, recording into {@code created}. */
  static Processor wrapping(Processor processor, List<Created> created) {
    return new AbstractProcessor() {
      @Override
      public synchronized void init(ProcessingEnvironment javac) {
        super.init(javac);
        processor.init(new GradleStyleEnvironment(javac, created));
      }

      @Override
      public Set<String> getSupportedAnnotationTypes() {
        return processor.getSupportedAnnotationTypes();
      }

      @Override
      public Set<String> getSupportedOptions() {
        return processor.getSupportedOptions();
      }

      @Override
      public SourceVersion getSupportedSourceVersion() {
        return processor.getSupportedSourceVersion();
      }

      @Override
      public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return processor.process(annotations, round);
      }
    };
  }

  /**
   * Checks Gradle's isolating rule: every file has exactly one originating element, a type. Prints
   * each violation.
   *
   * @return whether every file keeps the rule (and at least one file was created)
   */
  static boolean checkIsolating(List<Created> created) {
    boolean ok = !created.isEmpty();
    for (Created file : created) {
      List<Element> origins = file.originatingElements();
      if (origins.size() != 1 || !(origins.get(0).getKind() == ElementKind.INTERFACE
          || origins.get(0).getKind() == ElementKind.CLASS)) {
        System.err.println(file.name() + " has originating elements " + origins
            + "; an isolating processor gives exactly one, the annotated type");
        ok = false;
      }
    }
    return ok;
  }

  @Override
  public Map<String, String> getOptions() {
    return delegate.getOptions();
  }

  @Override
  public Messager getMessager() {
    return delegate.getMessager();
  }

  @Override
  public Filer getFiler() {
    return filer;
  }

  @Override
  public Elements getElementUtils() {
    return delegate.getElementUtils();
  }

  @Override
  public Types getTypeUtils() {
    return delegate.getTypeUtils();
  }

  @Override
  public SourceVersion getSourceVersion() {
    return delegate.getSourceVersion();
  }

  @Override
  public Locale getLocale() {
    return delegate.getLocale();
  }

  /** Records every source file created, then creates it. */
  private static final class RecordingFiler implements Filer {
    private final Filer delegate;
    private final List<Created> created;

    RecordingFiler(Filer delegate, List<Created> created) {
      this.delegate = delegate;
      this.created = created;
    }

    @Override
    public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements)
        throws IOException {
      created.add(new Created(name.toString(), List.of(originatingElements)));
      return delegate.createSourceFile(name, originatingElements);
    }

    @Override
    public JavaFileObject createClassFile(CharSequence name, Element... originatingElements)
        throws IOException {
      return delegate.createClassFile(name, originatingElements);
    }

    @Override
    public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
        CharSequence relativeName, Element... originatingElements) throws IOException {
      return delegate.createResource(location, moduleAndPkg, relativeName, originatingElements);
    }

    @Override
    public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
        CharSequence relativeName) throws IOException {
      return delegate.getResource(location, moduleAndPkg, relativeName);
    }
  }
}
