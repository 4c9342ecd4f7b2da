package dev.converge.build;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The size budget of main code: no file of a module's {@code src/main/java} (or
 * {@code src/main/java21} and the like) over {@value #MAX_FILE_LINES} lines, and no method or
 * constructor over {@value #MAX_METHOD_LINES} lines unless a comment right above it, or its
 * Javadoc, says why, with the words {@value #WHY} (in any case).
 *
 * <p>A method's lines run from its declaration (after its annotations) to its closing brace, lambdas
 * and local classes included; javac's own parser finds them, so no brace in a string misleads it.
 * Run by {@code mvn verify} (module {@code build-checks}), or alone, with no build at all:
 * {@code java build-checks/src/main/java/dev/converge/build/SizeBudget.java [--enforce] <root>}.
 * It prints every offence, naming the file, line and method; with {@code --enforce} it exits with
 * status 1 when there is one.
 */
public final class SizeBudget {

  /** The most lines a main-code file may have. */
  static final int MAX_FILE_LINES = 500;

  /** The most lines a method may have without a comment saying why it is long. */
  static final int MAX_METHOD_LINES = 60;

  /** What a comment says to explain a long method. */
  static final String WHY = "long because";

  private static final String NOT_ENFORCED =
      " (not enforced: --enforce, in Maven -DsizeBudget.enforce=true, fails on them)";

  private static final Pattern MAIN_SOURCES = Pattern.compile("java\\d*");

  private SizeBudget() {}

  /** One breach of the budget: its file, the line where it starts (1 for a file), and what. */
  record Offence(Path file, int line, String message) {
    String describe(Path root) {
      String name = root.relativize(file).toString().replace('\\', '/');
      return name + ":" + line + ": " + message;
    }
  }

  /**
   * Checks the main code under a directory and prints each offence.
   *
   * @param arguments {@code --enforce} (optional), then the directory holding the modules
   */
  public static void main(String[] arguments) {
    System.exit(run(arguments, System.out));
  }

  /**
   * Checks the main code under a directory and prints each offence to {@code out}.
   *
   * @param arguments {@code --enforce} or {@code --enforce=true|false} (optional), then the
   *     directory holding the modules
   * @param out where the offences go
   * @return 0, or 1 if the check is enforced and found an offence, or 2 for wrong arguments
   */
  static int run(String[] arguments, PrintStream out) {
    boolean enforce = false;
    Path root = null;
    for (String argument : arguments) {
      if (argument.equals("--enforce") || argument.equals("--enforce=true")) {
        enforce = true;
      } else if (argument.equals("--enforce=false")) {
        enforce = false;
      } else if (root == null && !argument.startsWith("--")) {
        root = Path.of(argument).toAbsolutePath().normalize();
      } else {
        out.println("usage: SizeBudget [--enforce] <directory holding the modules>");
        return 2;
      }
    }
    if (root == null || !Files.isDirectory(root)) {
      out.println("usage: SizeBudget [--enforce] <directory holding the modules>");
      return 2;
    }
    List<Path> files = new ArrayList<>();
    int parses = Runtime.version().feature();
    for (Path sourceRoot : sourceRoots(root)) {
      int needs = javaVersion(sourceRoot);
      if (needs > parses) {
        out.printf(
            Locale.ROOT,
            "size budget: skipped %s: Java %d code, and this is Java %d%n",
            root.relativize(sourceRoot).toString().replace('\\', '/'),
            needs,
            parses);
      } else {
        files.addAll(javaFiles(sourceRoot));
      }
    }
    List<Offence> offences = checkFiles(files);
    for (Offence offence : offences) {
      out.println(offence.describe(root));
    }
    out.printf(
        Locale.ROOT,
        "size budget: %d main-code files checked, %d offences%s%n",
        files.size(),
        offences.size(),
        offences.isEmpty() || enforce ? "" : NOT_ENFORCED);
    return enforce && !offences.isEmpty() ? 1 : 0;
  }

  /**
   * Returns the main-code source roots of every module directly under {@code root}.
   *
   * @param root the directory holding the modules
   * @return each {@code <module>/src/main/java} and {@code <module>/src/main/java<version>}, in
   *     name order
   */
  static List<Path> sourceRoots(Path root) {
    try (Stream<Path> modules = Files.list(root)) {
      return modules
          .map(module -> module.resolve("src").resolve("main"))
          .filter(Files::isDirectory)
          .flatMap(SizeBudget::children)
          .filter(directory -> MAIN_SOURCES.matcher(directory.getFileName().toString()).matches())
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Java version a source root's name asks for ({@code java21}), or 0 for {@code java}. */
  private static int javaVersion(Path sourceRoot) {
    String version = sourceRoot.getFileName().toString().substring("java".length());
    return version.isEmpty() ? 0 : Integer.parseInt(version);
  }

  private static List<Path> javaFiles(Path sourceRoot) {
    try (Stream<Path> walk = Files.walk(sourceRoot)) {
      return walk.filter(path -> path.toString().endsWith(".java") && Files.isRegularFile(path))
          .sorted(Comparator.naturalOrder())
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> children(Path directory) {
    try (Stream<Path> list = Files.list(directory)) {
      return list.filter(Files::isDirectory).collect(Collectors.toList()).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks files against the budget.
   *
   * @param files the source files
   * @return the offences, by file and line
   */
  static List<Offence> checkFiles(List<Path> files) {
    List<Source> sources = new ArrayList<>();
    for (Path file : files) {
      try {
        sources.add(new Source(file, Files.readString(file, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return check(sources);
  }

  /**
   * Checks sources against the budget.
   *
   * @param sources the sources
   * @return the offences, by file and line
   * @throws IllegalArgumentException if a source does not parse
   */
  static List<Offence> check(Iterable<Source> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavacTask task =
        (JavacTask) javac.getTask(null, null, diagnostics, List.of("-proc:none"), null, sources);
    List<CompilationUnitTree> units = new ArrayList<>();
    try {
      task.parse().forEach(units::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        throw new IllegalArgumentException(
            "cannot parse "
                + diagnostic.getSource().getName()
                + ":"
                + diagnostic.getLineNumber()
                + ": "
                + diagnostic.getMessage(Locale.ROOT));
      }
    }
    // javac hands back its own wrappers of the sources: they are found again by name.
    Map<URI, Source> byName = new HashMap<>();
    sources.forEach(source -> byName.put(source.toUri(), source));
    SourcePositions positions = Trees.instance(task).getSourcePositions();
    List<Offence> offences = new ArrayList<>();
    for (CompilationUnitTree unit : units) {
      offences.addAll(check(unit, byName.get(unit.getSourceFile().toUri()), positions));
    }
    return offences;
  }

  private static List<Offence> check(
      CompilationUnitTree unit, Source source, SourcePositions positions) {
    Path file = source.file;
    String text = source.text;
    List<Offence> offences = new ArrayList<>();
    long lines = text.lines().count();
    if (lines > MAX_FILE_LINES) {
      offences.add(
          new Offence(
              file,
              1,
              String.format(
                  Locale.ROOT,
                  "%d lines, over the budget of %d for a main-code file",
                  lines,
                  MAX_FILE_LINES)));
    }
    new MethodFinder(unit, positions, text, file, offences).scan(unit, null);
    return offences;
  }

  /**
   * Visits every type, including anonymous ones outside methods (enum constants with bodies,
   * field initializers), and measures its methods; never looks inside a method, so that all a
   * method holds counts toward it.
   */
  private static final class MethodFinder extends TreeScanner<Void, Void> {
    private final CompilationUnitTree unit;
    private final SourcePositions positions;
    private final String text;
    private final Path file;
    private final List<Offence> offences;
    private final Deque<String> types = new ArrayDeque<>();

    MethodFinder(
        CompilationUnitTree unit,
        SourcePositions positions,
        String text,
        Path file,
        List<Offence> offences) {
      this.unit = unit;
      this.positions = positions;
      this.text = text;
      this.file = file;
      this.offences = offences;
    }

    @Override
    public Void visitClass(ClassTree type, Void unused) {
      String name = type.getSimpleName().toString();
      types.push(name.isEmpty() ? "<anonymous>" : name);
      // Where the comments that may explain the next method begin: after the previous member.
      long previousEnd = positions.getStartPosition(unit, type);
      for (Tree member : type.getMembers()) {
        if (member instanceof MethodTree method) {
          measure(method, previousEnd);
        } else {
          scan(member, null);
        }
        long end = positions.getEndPosition(unit, member);
        if (end > previousEnd) {
          previousEnd = end;
        }
      }
      types.pop();
      return null;
    }

    @Override
    public Void visitMethod(MethodTree method, Void unused) {
      // visitClass measures every method; a method is never entered, so all it holds counts
      // toward it.
      return null;
    }

    private void measure(MethodTree method, long commentsFrom) {
      if (method.getBody() == null) {
        return;
      }
      long start = declarationStart(method);
      long end = positions.getEndPosition(unit, method);
      int firstLine = line(start);
      int lastLine = line(end - 1);
      int length = lastLine - firstLine + 1;
      if (length <= MAX_METHOD_LINES) {
        return;
      }
      long bodyStart = positions.getStartPosition(unit, method.getBody());
      String comments = Trivia.comments(text, (int) Math.max(0, commentsFrom), (int) bodyStart);
      if (comments.toLowerCase(Locale.ROOT).contains(WHY)) {
        return;
      }
      offences.add(
          new Offence(
              file,
              firstLine,
              String.format(
                  Locale.ROOT,
                  "%s is %d lines, over the budget of %d for a method, and no comment above it says"
                      + " why (\"%s ...\")",
                  describe(method),
                  length,
                  MAX_METHOD_LINES,
                  WHY)));
    }

    /** Where the declaration begins once the annotations before it are left out. */
    private long declarationStart(MethodTree method) {
      long start = positions.getStartPosition(unit, method);
      for (Tree annotation : method.getModifiers().getAnnotations()) {
        if (positions.getStartPosition(unit, annotation) != start) {
          break;
        }
        start = Trivia.skip(text, (int) positions.getEndPosition(unit, annotation));
      }
      return start;
    }

    private String describe(MethodTree method) {
      List<String> path = new ArrayList<>(types);
      Collections.reverse(path);
      String owner = String.join(".", path);
      String name =
          method.getName().contentEquals("<init>")
              ? "constructor " + owner
              : owner + "." + method.getName();
      return name
          + method.getParameters().stream()
              .map(parameter -> parameter.getType() == null ? "?" : parameter.getType().toString())
              .collect(Collectors.joining(", ", "(", ")"));
    }

    private int line(long position) {
      return (int) unit.getLineMap().getLineNumber(position);
    }
  }

  /** A source file read into memory. */
  static final class Source extends SimpleJavaFileObject {
    private final Path file;
    private final String text;

    /**
     * Holds a file's text.
     *
     * @param file the file, as offences name it
     * @param text what it holds
     */
    Source(Path file, String text) {
      super(file.toUri(), Kind.SOURCE);
      this.file = file;
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  /** Comments and white space, told apart from code without a full lexer. */
  static final class Trivia {
    private Trivia() {}

    /**
     * Returns the text of every comment in a stretch of code that starts between tokens.
     *
     * @param text the source
     * @param from where the stretch starts
     * @param to where it ends
     * @return the comments, each on lines of its own
     */
    static String comments(String text, int from, int to) {
      StringBuilder found = new StringBuilder();
      int at = from;
      while (at < to) {
        int next = afterComment(text, at);
        if (next > at) {
          found.append(text, at, next).append('\n');
          at = next;
        } else if (text.startsWith("\"\"\"", at)) {
          at = afterTextBlock(text, at);
        } else if (text.charAt(at) == '"' || text.charAt(at) == '\'') {
          at = afterQuoted(text, at);
        } else {
          at++;
        }
      }
      return found.toString();
    }

    /**
     * Returns where the code resumes after white space and comments.
     *
     * @param text the source
     * @param from a position between tokens
     * @return the position of the next token, or the end of the text
     */
    static int skip(String text, int from) {
      int at = from;
      while (at < text.length()) {
        int next = afterComment(text, at);
        if (next > at) {
          at = next;
        } else if (Character.isWhitespace(text.charAt(at))) {
          at++;
        } else {
          break;
        }
      }
      return at;
    }

    /** The end of the comment at {@code at}, or {@code at} if none starts there. */
    private static int afterComment(String text, int at) {
      if (text.startsWith("//", at)) {
        int end = text.indexOf('\n', at);
        return end < 0 ? text.length() : end;
      }
      if (text.startsWith("/*", at)) {
        int end = text.indexOf("*/", at + 2);
        return end < 0 ? text.length() : end + 2;
      }
      return at;
    }

    private static int afterTextBlock(String text, int at) {
      int i = at + 3;
      while (i < text.length()) {
        if (text.charAt(i) == '\\') {
          i += 2;
        } else if (text.startsWith("\"\"\"", i)) {
          return i + 3;
        } else {
          i++;
        }
      }
      return text.length();
    }

    private static int afterQuoted(String text, int at) {
      char quote = text.charAt(at);
      int i = at + 1;
      while (i < text.length() && text.charAt(i) != '\n') {
        if (text.charAt(i) == '\\') {
          i += 2;
        } else if (text.charAt(i) == quote) {
          return i + 1;
        } else {
          i++;
        }
      }
      return i;
    }
  }
}
