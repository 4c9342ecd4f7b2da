package dev.converge.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the database password comes from. In this order:
 *
 * <ol>
 *   <li>{@code --jdbc-password PASSWORD}: still accepted, but any user of the machine can read a
 *       process's command line ({@code ps}, {@code /proc}), so a non-empty one prints {@link
 *       #WARNING} once on standard error;
 *   <li>{@code --jdbc-password-file PATH}: the file's content (UTF-8), less one trailing line end;
 *   <li>the environment variable {@value #ENVIRONMENT_VARIABLE};
 *   <li>otherwise the empty password.
 * </ol>
 *
 * <p>Giving both flags is a usage error ({@link ServiceOptions#check}), as is a file that cannot be
 * read. The environment is passed in rather than read from {@link System#getenv}, so that tests can
 * give one.
 */
final class JdbcPassword {

  /** The environment variable that holds the password when neither flag is given. */
  static final String ENVIRONMENT_VARIABLE = "CONVERGE_JDBC_PASSWORD";

  /** The one line printed when the password is given on the command line. */
  static final String WARNING =
      "warning: --jdbc-password can be seen by other users of this machine, who can list the"
          + " command lines of running programs; give --jdbc-password-file PATH or the environment"
          + " variable "
          + ENVIRONMENT_VARIABLE
          + " instead";

  private JdbcPassword() {}

  /**
   * Finds the password.
   *
   * @param flag the value of {@code --jdbc-password}, or null without the flag
   * @param file the path of {@code --jdbc-password-file}, or null without the flag
   * @param environment the process's environment variables by name (null for an unset one)
   * @param warnings where the warning about {@code --jdbc-password} goes
   * @return the password, empty if none is given
   * @throws UsageException if the file cannot be read
   */
  static String resolve(
      String flag, Path file, Function<String, String> environment, PrintStream warnings)
      throws UsageException {
    if (flag != null) {
      if (!flag.isEmpty()) {
        warnings.println(WARNING);
      }
      return flag;
    }
    if (file != null) {
      return read(file);
    }
    String variable = environment.apply(ENVIRONMENT_VARIABLE);
    return variable == null ? "" : variable;
  }

  /**
   * Reads a password file: its whole content, less one trailing {@code \n} or {@code \r\n} (the
   * line end an editor or {@code echo} adds); other white space is part of the password.
   *
   * @param file the file
   * @return the password
   * @throws UsageException naming the file and why it cannot be read
   */
  static String read(Path file) throws UsageException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw cannotRead(file, "no such file");
    } catch (AccessDeniedException e) {
      throw cannotRead(file, "permission denied");
    } catch (CharacterCodingException e) {
      throw cannotRead(file, "not UTF-8 text");
    } catch (IOException e) {
      throw cannotRead(file, Files.isDirectory(file) ? "a directory" : ServiceFailure.describe(e));
    }
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    if (content.endsWith("\n")) {
      return content.substring(0, content.length() - 1);
    }
    return content;
  }

  private static UsageException cannotRead(Path file, String reason) {
    return new UsageException("--jdbc-password-file cannot read " + file + ": " + reason);
  }
}
