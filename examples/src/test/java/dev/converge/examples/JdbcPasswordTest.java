package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the database password comes from, and the warning about the flag. */
class JdbcPasswordTest {

  private static final Function<String, String> NO_ENVIRONMENT = name -> null;

  private static final Function<String, String> ENVIRONMENT =
      Map.of(JdbcPassword.ENVIRONMENT_VARIABLE, "from-env")::get;

  @TempDir Path directory;

  private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

  @Test
  void withoutFlagsOrEnvironmentThePasswordIsEmpty() throws UsageException {
    assertEquals("", parse(NO_ENVIRONMENT).jdbcPassword());
    assertEquals("", warnings());
  }

  @Test
  void withoutFlagsTheEnvironmentVariableIsRead() throws UsageException {
    assertEquals("from-env", parse(ENVIRONMENT).jdbcPassword());
    assertEquals("", warnings(), "the environment is not seen by other users: no warning");
  }

  @Test
  void fileBeatsTheEnvironment() throws UsageException, IOException {
    Path file = write("from-file\n");

    assertEquals(
        "from-file", parse(ENVIRONMENT, "--jdbc-password-file", file.toString()).jdbcPassword());
    assertEquals("", warnings());
  }

  @Test
  void flagBeatsTheEnvironmentAndWarnsOnce() throws UsageException {
    ServiceOptions options =
        parse(ENVIRONMENT, "--jdbc-password", "first", "--jdbc-password=from-flag");

    assertEquals("from-flag", options.jdbcPassword());
    assertEquals(JdbcPassword.WARNING + System.lineSeparator(), warnings(), "one line");
  }

  @Test
  void warningSaysWhyAndNamesBothAlternatives() {
    assertTrue(JdbcPassword.WARNING.startsWith("warning: --jdbc-password "));
    assertTrue(JdbcPassword.WARNING.contains("other users of this machine"));
    assertTrue(JdbcPassword.WARNING.contains("--jdbc-password-file PATH"));
    assertTrue(JdbcPassword.WARNING.contains("CONVERGE_JDBC_PASSWORD"));
    assertEquals(1, JdbcPassword.WARNING.lines().count());
  }

  @Test
  void emptyFlagHasNothingToHideAndDoesNotWarn() throws UsageException {
    assertEquals("", parse(ENVIRONMENT, "--jdbc-password=").jdbcPassword());
    assertEquals("", warnings());
  }

  @Test
  void flagAndFileTogetherAreAUsageError() throws IOException {
    Path file = write("from-file");

    UsageException error =
        assertThrows(
            UsageException.class,
            () ->
                parse(
                    NO_ENVIRONMENT,
                    "--jdbc-password",
                    "from-flag",
                    "--jdbc-password-file",
                    file.toString()));

    assertEquals(
        "--jdbc-password and --jdbc-password-file both give the database password; give one",
        error.getMessage());
    assertEquals("", warnings(), "no warning for a command line that is rejected");
  }

  @Test
  void fileLosesOneTrailingLineEndOnly() throws UsageException, IOException {
    assertEquals("pw", JdbcPassword.read(write("pw")));
    assertEquals("pw", JdbcPassword.read(write("pw\n")));
    assertEquals("pw", JdbcPassword.read(write("pw\r\n")));
    assertEquals("pw\n", JdbcPassword.read(write("pw\n\n")));
    assertEquals(" p w\t", JdbcPassword.read(write(" p w\t\n")));
    assertEquals("pässwörd", JdbcPassword.read(write("pässwörd\n")));
    assertEquals("", JdbcPassword.read(write("")));
  }

  @Test
  void missingFileIsAUsageErrorNamingThePath() {
    Path missing = directory.resolve("no-such-password");

    UsageException error = assertThrows(UsageException.class, () -> JdbcPassword.read(missing));

    assertEquals(
        "--jdbc-password-file cannot read " + missing + ": no such file", error.getMessage());
  }

  @Test
  void directoryIsAUsageErrorNamingThePath() {
    UsageException error = assertThrows(UsageException.class, () -> JdbcPassword.read(directory));

    assertEquals(
        "--jdbc-password-file cannot read " + directory + ": a directory", error.getMessage());
  }

  @Test
  void fileThatIsNotUtf8IsAUsageError() throws IOException {
    Path file = directory.resolve("latin1");
    Files.write(file, new byte[] {'p', (byte) 0xE4, 'w'});

    UsageException error = assertThrows(UsageException.class, () -> JdbcPassword.read(file));

    assertEquals(
        "--jdbc-password-file cannot read " + file + ": not UTF-8 text", error.getMessage());
  }

  @Test
  void unreadableFileEndsTheServiceWithAUsageErrorLine() {
    Path missing = directory.resolve("no-such-password");

    ServiceRun run = ServiceRun.of("--jdbc-password-file", missing.toString());

    assertEquals(OrderService.USAGE, run.exitCode());
    assertEquals(
        "error: --jdbc-password-file cannot read " + missing + ": no such file", run.err().strip());
    assertEquals("", run.out());
  }

  private ServiceOptions parse(Function<String, String> environment, String... args)
      throws UsageException {
    return OptionsParser.parse(
        environment, new PrintStream(warnings, true, StandardCharsets.UTF_8), args);
  }

  private String warnings() {
    return warnings.toString(StandardCharsets.UTF_8);
  }

  private Path write(String content) throws IOException {
    Path file = Files.createTempFile(directory, "password", ".txt");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
