package dev.converge.processor;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * The {@code ProcessingEnvironment}s build tools hand to processors instead of javac's own: the
 * processor under test sees only the wrapper, as it does under Gradle or IntelliJ IDEA, and every
 * file it creates is recorded with its originating elements.
 */
final class WrappingEnvironments {
  private WrappingEnvironments() {}

  /** One {@code Filer.createSourceFile} call. */
  record Created(String name, List<Element> originatingElements) {}

  /** How a test wraps javac's environment. */
  enum Style {
    /** Gradle's incremental processing: a class forwarding to javac's through a field. */
    DELEGATE_FIELD {
      @Override
      ProcessingEnvironment wrap(ProcessingEnvironment javac, Filer filer) {
        return new ForwardingEnvironment(javac, filer);
      }
    },
    /** IntelliJ IDEA: a {@link Proxy} whose invocation handler holds javac's in a field. */
    PROXY {
      @Override
      ProcessingEnvironment wrap(ProcessingEnvironment javac, Filer filer) {
        return (ProcessingEnvironment) Proxy.newProxyInstance(
            WrappingEnvironments.class.getClassLoader(),
            new Class<?>[] {ProcessingEnvironment.class}, new Handler(javac, filer));
      }
    },
    /** A wrapper that keeps javac's out of reach: no field holds a ProcessingEnvironment. */
    OPAQUE {
      @Override
      ProcessingEnvironment wrap(ProcessingEnvironment javac, Filer filer) {
        return new OpaqueEnvironment(() -> javac, filer);
      }
    };

    abstract ProcessingEnvironment wrap(ProcessingEnvironment javac, Filer filer);
  }

  /** Runs {@code processor} behind a wrapper of the given style, recording into {@code created}. */
  static Processor wrapped(Processor processor, Style style, List<Created> created) {
    return wrapped(processor, created, javac -> style.wrap(javac, filer(javac, created)));
  }

  /**
   * Runs {@code processor} behind a wrapper of the given style whose element utilities are
   * replaced by {@code elements}.
   */
  static Processor wrapped(Processor processor, Style style, List<Created> created,
      UnaryOperator<Elements> elements) {
    return wrapped(processor, created, javac -> {
      ProcessingEnvironment wrapper = style.wrap(javac, filer(javac, created));
      return new ForwardingEnvironment(wrapper, wrapper.getFiler()) {
        @Override
        public Elements getElementUtils() {
          return elements.apply(super.getElementUtils());
        }
      };
    });
  }

  private static Filer filer(ProcessingEnvironment javac, List<Created> created) {
    return new RecordingFiler(javac.getFiler(), created);
  }

  private static Processor wrapped(Processor processor, List<Created> created,
      UnaryOperator<ProcessingEnvironment> wrap) {
    return new AbstractProcessor() {
      @Override
      public synchronized void init(ProcessingEnvironment javac) {
        super.init(javac);
        processor.init(wrap.apply(javac));
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

  /** Forwards everything to {@code delegate}, as Gradle's wrapper does, except the filer. */
  static class ForwardingEnvironment implements ProcessingEnvironment {
    private final ProcessingEnvironment delegate;
    private final Filer filer;

    ForwardingEnvironment(ProcessingEnvironment delegate, Filer filer) {
      this.delegate = delegate;
      this.filer = filer;
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
  }

  /** Forwards like {@link ForwardingEnvironment} but holds javac's only inside a supplier. */
  private static final class OpaqueEnvironment implements ProcessingEnvironment {
    private final Supplier<ProcessingEnvironment> delegate;
    private final Filer filer;

    OpaqueEnvironment(Supplier<ProcessingEnvironment> delegate, Filer filer) {
      this.delegate = delegate;
      this.filer = filer;
    }

    @Override
    public Map<String, String> getOptions() {
      return delegate.get().getOptions();
    }

    @Override
    public Messager getMessager() {
      return delegate.get().getMessager();
    }

    @Override
    public Filer getFiler() {
      return filer;
    }

    @Override
    public Elements getElementUtils() {
      return delegate.get().getElementUtils();
    }

    @Override
    public Types getTypeUtils() {
      return delegate.get().getTypeUtils();
    }

    @Override
    public SourceVersion getSourceVersion() {
      return delegate.get().getSourceVersion();
    }

    @Override
    public Locale getLocale() {
      return delegate.get().getLocale();
    }
  }

  /** IntelliJ's shape: the proxy's handler keeps the real environment in a field. */
  private static final class Handler implements InvocationHandler {
    private final ProcessingEnvironment delegateTo;
    private final Filer filer;

    Handler(ProcessingEnvironment delegateTo, Filer filer) {
      this.delegateTo = delegateTo;
      this.filer = filer;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
      if (method.getName().equals("getFiler")) {
        return filer;
      }
      try {
        return method.invoke(delegateTo, arguments);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /** Records every source file created, with its originating elements, then creates it. */
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
      created.add(new Created(name.toString(), new ArrayList<>(List.of(originatingElements))));
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
