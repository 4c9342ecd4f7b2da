package dev.converge.it.build;

import dev.converge.fixtures.processor.WrappingEnvironments;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.annotation.processing.Processor;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/**
 * Compiles the end-to-end sources ({@code src/main/java}) with the Converge processor the ways
 * docs/design.md section 1.4 lists besides plain javac, each into its own class directory that a
 * surefire execution then runs the end-to-end tests against:
 * <ul>
 *   <li>{@code ecj}: Eclipse's compiler (as the Eclipse IDE and VS Code run it), in this process
 *       through {@code javax.tools}, the processor found on its processor path;
 *   <li>{@code wrapped}: javac, the processor behind an environment in the shape of Gradle's
 *       ({@link WrappingEnvironments.Style#DELEGATE_FIELD}), every created file checked to have
 *       exactly one originating element, the annotated type;
 *   <li>{@code module}: javac, the sources as the named module {@code shop} that requires
 *       {@code dev.converge}, which is on the module path.
 * </ul>
 *
 * <p>Arguments: {@code <mode> <sources> <module-info directory> <output> <own class directories…>}.
 * The class path of this process is the test class path; the project's own class directories
 * (which hold javac's output) are left out of what the compilation sees.
 */
public final class CompileAs {
  private CompileAs() {}

  /**
   * Runs one compilation; exits with status 1 if it fails.
   *
   * @param arguments mode, sources, module-info directory, output, own class directories
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] arguments) throws IOException {
    String mode = arguments[0];
    Path sources = Path.of(arguments[1]);
    Path moduleInfo = Path.of(arguments[2]);
    Path output = Path.of(arguments[3]);
    List<Path> own =
        Arrays.stream(arguments, 4, arguments.length)
            .map(argument -> Path.of(argument).toAbsolutePath().normalize())
            .collect(Collectors.toList());
    List<File> classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.isEmpty())
            .map(Path::of)
            .filter(entry -> !own.contains(entry.toAbsolutePath().normalize()))
            .map(Path::toFile)
            .collect(Collectors.toList());
    deleteRecursively(output);
    Files.createDirectories(output.resolve("generated"));

    List<File> files = javaFiles(sources);
    boolean ok;
    switch (mode) {
      case "ecj":
        ok = ecj(files, classPath, output);
        break;
      case "wrapped":
        ok = wrapped(files, classPath, output);
        break;
      case "module":
        files.addAll(javaFiles(moduleInfo));
        ok = module(files, classPath, output);
        break;
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
    if (!ok) {
      System.err.println("CompileAs " + mode + ": compilation failed");
      System.exit(1);
    }
  }

  private static boolean ecj(List<File> files, List<File> classPath, Path output)
      throws IOException {
    JavaCompiler ecj = new EclipseCompiler();
    try (StandardJavaFileManager fileManager = ecj.getStandardFileManager(null, null, null)) {
      fileManager.setLocation(StandardLocation.CLASS_PATH, classPath);
      fileManager.setLocation(StandardLocation.ANNOTATION_PROCESSOR_PATH, classPath);
      List<String> options =
          List.of(
              "--release",
              "17",
              "-d",
              output.toString(),
              "-s",
              output.resolve("generated").toString());
      return ecj.getTask(
              new PrintWriter(System.err, true),
              fileManager,
              null,
              options,
              null,
              fileManager.getJavaFileObjectsFromFiles(files))
          .call();
    }
  }

  private static boolean wrapped(List<File> files, List<File> classPath, Path output)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<WrappingEnvironments.Created> created = new ArrayList<>();
    try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, null)) {
      fileManager.setLocation(StandardLocation.CLASS_PATH, classPath);
      List<String> options =
          List.of(
              "--release",
              "17",
              "-Xlint:all",
              "-Werror",
              "-d",
              output.toString(),
              "-s",
              output.resolve("generated").toString());
      JavaCompiler.CompilationTask task =
          javac.getTask(
              null,
              fileManager,
              null,
              options,
              null,
              fileManager.getJavaFileObjectsFromFiles(files));
      task.setProcessors(
          List.of(
              WrappingEnvironments.wrapped(
                  convergeProcessor(), WrappingEnvironments.Style.DELEGATE_FIELD, created)));
      if (!task.call()) {
        return false;
      }
    }
    return WrappingEnvironments.checkIsolating(created);
  }

  private static boolean module(List<File> files, List<File> classPath, Path output)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    File runtime = containing(classPath, "dev/converge/Race.class");
    try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, null)) {
      // Only the runtime, on the module path: the class path would default to this process's.
      fileManager.setLocation(StandardLocation.CLASS_PATH, List.of());
      fileManager.setLocation(StandardLocation.MODULE_PATH, List.of(runtime));
      fileManager.setLocation(StandardLocation.ANNOTATION_PROCESSOR_PATH, classPath);
      List<String> options =
          List.of(
              "--release",
              "17",
              "-Xlint:all",
              "-Werror",
              "-d",
              output.toString(),
              "-s",
              output.resolve("generated").toString());
      return javac
          .getTask(
              null,
              fileManager,
              null,
              options,
              null,
              fileManager.getJavaFileObjectsFromFiles(files))
          .call();
    }
  }

  /** The Converge processor as the compiler would find it: through its service registration. */
  private static Processor convergeProcessor() {
    return ServiceLoader.load(Processor.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(
            processor ->
                processor.getClass().getName().equals("dev.converge.processor.ConvergeProcessor"))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("converge-processor is not on the class path"));
  }

  private static File containing(List<File> classPath, String resource) throws IOException {
    for (File entry : classPath) {
      if (entry.isDirectory() ? new File(entry, resource).isFile() : hasEntry(entry, resource)) {
        return entry;
      }
    }
    throw new IllegalStateException(resource + " is not on the class path");
  }

  private static boolean hasEntry(File jar, String resource) throws IOException {
    if (!jar.isFile()) {
      return false;
    }
    try (ZipFile zip = new ZipFile(jar)) {
      return zip.getEntry(resource) != null;
    }
  }

  private static List<File> javaFiles(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths
          .filter(path -> path.toString().endsWith(".java"))
          .map(Path::toFile)
          .collect(Collectors.toCollection(ArrayList::new));
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
