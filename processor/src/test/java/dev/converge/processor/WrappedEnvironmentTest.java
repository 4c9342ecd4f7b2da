package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.converge.processor.Compilations.BODY;
import static dev.converge.processor.Compilations.lookups;
import static dev.converge.processor.Compilations.typeSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.converge.fixtures.processor.WrappingEnvironments;
import dev.converge.fixtures.processor.WrappingEnvironments.Created;
import dev.converge.fixtures.processor.WrappingEnvironments.Style;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Processor;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The processor behind the {@code ProcessingEnvironment} wrappers that Gradle's incremental
 * processing and IntelliJ IDEA hand out instead of javac's own.
 */
class WrappedEnvironmentTest {
  private static final JavaFileObject LOOKUPS =
      lookups(
          "  @Race",
          "  CompletableFuture<UserSource> user(CompletionStage<String> cache,",
          "      @Keep CompletionStage<Integer> db);",
          "  @Race",
          "  <T> CompletableFuture<Either<T>> either(CompletionStage<T> first,",
          "      CompletionStage<T> second);",
          "  @Join",
          "  Profile profile(CompletionStage<String> name, Callable<Long> age)",
          "      throws InterruptedException;");
  private static final JavaFileObject USES =
      typeSource(
          "test.Uses",
          "final class Uses {",
          "  static Object describe(UserSource source, Profile profile) {",
          "    return source.value() + profile.name();",
          "  }");

  private static final JavaFileObject FAILING =
      lookups(
          "  @Race",
          "  CompletableFuture<Object> user(CompletionStage<String> a, CompletionStage<Integer> b);");

  private final List<Created> created = new ArrayList<>();

  private Compilation compile(Style style, String... options) {
    return compile(WrappingEnvironments.wrapped(new ConvergeProcessor(), style, created), options);
  }

  private Compilation compile(Processor processor, String... options) {
    return javac().withProcessors(processor).withOptions((Object[]) options).compile(LOOKUPS, USES);
  }

  /**
   * Compiles an interface whose return type exists, so that javac has nothing to add to the one
   * error an internal failure costs.
   */
  private Compilation compileFailing(String... options) {
    return javac()
        .withProcessors(
            WrappingEnvironments.wrapped(
                new ConvergeProcessor(),
                Style.PROXY,
                created,
                WrappedEnvironmentTest::failingElements))
        .withOptions((Object[]) options)
        .compile(FAILING);
  }

  @ParameterizedTest
  @EnumSource(
      value = Style.class,
      names = {"DELEGATE_FIELD", "PROXY"})
  void genericMethodsWorkBehindAWrapperThatReachesJavac(Style style) {
    Compilation compilation = compile(style, "-Xlint:all", "-Werror");
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Either")
        .contentsAsUtf8String()
        .contains("sealed interface Either<T>");
    assertEquals(
        Set.of("test.UserSource", "test.Either", "test.Profile", "test.ConvergeLookups"),
        created.stream().map(Created::name).collect(Collectors.toSet()));
  }

  @ParameterizedTest
  @EnumSource(Style.class)
  void everyGeneratedFileHasTheAnnotatedTypeAsItsOnlyOriginatingElement(Style style) {
    compile(style);
    assertFalse(created.isEmpty());
    for (Created file : created) {
      assertEquals(1, file.originatingElements().size(), file.name());
      Element origin = file.originatingElements().get(0);
      assertTrue(
          origin instanceof TypeElement type
              && type.getQualifiedName().contentEquals("test.Lookups"),
          file.name() + ": " + origin);
    }
  }

  @Test
  void withoutJavacBehindTheWrapperOnlyTheGenericMethodFailsWhereJavacHidesIt() {
    Compilation compilation = compile(Style.OPAQUE);
    if (!Compilations.javacHidesGenericErrorTypes()) {
      // Newer javac shows the text of Either<T>: the processor needs no tree API behind any
      // wrapper.
      assertThat(compilation).succeeded();
      assertEquals(
          Set.of("test.UserSource", "test.Either", "test.Profile", "test.ConvergeLookups"),
          created.stream().map(Created::name).collect(Collectors.toSet()));
      return;
    }
    // Converge's error on the generic method, and javac's "cannot find symbol" for Either.
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("cannot read the generic result type of @Race" + " method 'either'")
        .inFile(LOOKUPS)
        .onLine(BODY + 4);
    assertEquals(
        Set.of("test.UserSource", "test.Profile"),
        created.stream().map(Created::name).collect(Collectors.toSet()),
        "every other method's result type is generated; the implementation waits");
  }

  @Test
  void anInternalFailureIsOneLineWithoutTheDebugOption() {
    Compilation compilation = compileFailing();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "Converge failed while processing test.Lookups"
                + " (IllegalStateException: boom); this is a bug in Converge, please report it with this"
                + " source (compile with -Aconverge.debug for the stack trace)")
        .inFile(FAILING);
    assertFalse(failureMessage(compilation).contains("\tat "), failureMessage(compilation));
  }

  @Test
  void theDebugOptionAddsTheStackTraceOfAnInternalFailure() {
    Compilation compilation = compileFailing("-Aconverge.debug");
    assertThat(compilation).hadErrorCount(1);
    String message = failureMessage(compilation);
    assertTrue(message.contains("java.lang.IllegalStateException: boom"), message);
    assertTrue(message.contains("at dev.converge.processor.validate.TypeValidator"), message);
  }

  private static String failureMessage(Compilation compilation) {
    return compilation.errors().stream()
        .map(error -> error.getMessage(null))
        .filter(message -> message.startsWith("Converge failed"))
        .findFirst()
        .orElseThrow();
  }

  /** Element utilities that fail the way a bug in Converge would: with an unexpected exception. */
  private static Elements failingElements(Elements real) {
    return (Elements)
        Proxy.newProxyInstance(
            Elements.class.getClassLoader(),
            new Class<?>[] {Elements.class},
            (proxy, method, arguments) -> {
              if (method.getName().equals("getAllMembers")) {
                throw new IllegalStateException("boom");
              }
              try {
                return method.invoke(real, arguments);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
