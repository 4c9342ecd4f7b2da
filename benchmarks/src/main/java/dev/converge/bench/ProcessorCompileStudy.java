package dev.converge.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * What the Converge processor adds to a build: an interface of {@value #METHODS} annotated methods
 * (alternately {@code @Race} and {@code @Join}, three parameters of different types each), compiled
 * in-process with {@link JavaCompiler}, with and without the processor.
 *
 * <ul>
 *   <li><b>with processor</b>: the annotated interface, processor on; it generates and compiles 500
 *       result types and the implementation class.
 *   <li><b>same code, no processor</b>: the interface plus the processor's output as ordinary sources,
 *       {@code -proc:none}: compiling the same code had someone written it by hand.
 *   <li><b>plain interface</b>: the same 500 methods returning {@code CompletableFuture<Object>}, no
 *       annotations, {@code -proc:none}: a build without Converge at all.
 * </ul>
 *
 * <p>The three are compiled in turn, after warm-up rounds, so that the compiler's JIT state is
 * alike; the medians are reported.
 */
final class ProcessorCompileStudy {

  static final int METHODS = 500;
  private static final String PROCESSOR = "dev.converge.processor.ConvergeProcessor";

  /** Median wall times in nanoseconds of the three compilations. */
  record Result(long withProcessor, long sameCodeWithoutProcessor, long plainInterface) {
    /** Time the processor itself adds: analysis and generation, not compiling its output. */
    long processorOnly() {
      return withProcessor - sameCodeWithoutProcessor;
    }

    /** Time added against a build without Converge: processor plus compiling what it generates. */
    long total() {
      return withProcessor - plainInterface;
    }
  }

  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private final String classPath = System.getProperty("java.class.path");
  private final Path work;

  ProcessorCompileStudy(Path work) {
    if (javac == null) {
      throw new IllegalStateException(
          "no system Java compiler; run the studies on a JDK, not a JRE");
    }
    this.work = work;
  }

  Result run(int warmup, int repetitions) throws IOException {
    Path annotated = write("annotated", "Big.java", source(true));
    Path plain = write("plain", "Big.java", source(false));
    List<String> withProcessor = List.of("-processor", PROCESSOR, "-processorpath", classPath);
    List<String> noProcessor = List.of("-proc:none");
    compile(List.of(annotated), withProcessor, "generate");
    Path generated = generatedSources("generate");
    List<Path> sameCode = new ArrayList<>(List.of(annotated));
    try (Stream<Path> files = Files.walk(generated)) {
      sameCode.addAll(
          files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList()));
    }
    if (sameCode.size() != METHODS + 2) {
      throw new IllegalStateException(
          "expected " + (METHODS + 1) + " generated files, found " + (sameCode.size() - 1));
    }
    long[] with = new long[repetitions];
    long[] same = new long[repetitions];
    long[] none = new long[repetitions];
    for (int round = -warmup; round < repetitions; round++) {
      long a = compile(List.of(annotated), withProcessor, "with");
      long b = compile(sameCode, noProcessor, "same");
      long c = compile(List.of(plain), noProcessor, "plain");
      if (round >= 0) {
        with[round] = a;
        same[round] = b;
        none[round] = c;
      }
    }
    return new Result(median(with), median(same), median(none));
  }

  private long compile(List<Path> sources, List<String> processing, String output)
      throws IOException {
    Path classes = work.resolve("classes-" + output);
    Files.createDirectories(classes);
    Path generated = generatedSources(output);
    Files.createDirectories(generated);
    List<String> options =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "-classpath",
                classPath,
                "-d",
                classes.toString(),
                "-s",
                generated.toString(),
                "-implicit:none"));
    options.addAll(processing);
    StringWriter diagnostics = new StringWriter();
    long start = System.nanoTime();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Boolean ok =
          javac
              .getTask(
                  diagnostics,
                  files,
                  null,
                  options,
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
      if (!ok) {
        throw new IllegalStateException("compilation '" + output + "' failed:\n" + diagnostics);
      }
    }
    return System.nanoTime() - start;
  }

  private Path generatedSources(String output) {
    return work.resolve("generated-" + output);
  }

  private Path write(String folder, String name, String content) throws IOException {
    Path dir = work.resolve(folder).resolve("big");
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  /** The interface: annotated methods with generated result types, or plain ones. */
  static String source(boolean annotated) {
    StringBuilder java =
        new StringBuilder()
            .append("package big;\n\n")
            .append("import java.util.concurrent.CompletableFuture;\n")
            .append("import java.util.concurrent.CompletionStage;\n\n")
            .append("public interface Big {\n");
    for (int i = 0; i < METHODS; i++) {
      boolean race = i % 2 == 0;
      String result = annotated ? (race ? "Fastest" : "Joined") + i : "Object";
      if (annotated) {
        java.append(race ? "  @dev.converge.Race\n" : "  @dev.converge.Join\n");
      }
      java.append("  CompletableFuture<")
          .append(result)
          .append("> m")
          .append(i)
          .append("(CompletionStage<String> name, CompletionStage<Integer> count,")
          .append(" CompletionStage<Long> total);\n");
    }
    return java.append("}\n").toString();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
