package dev.converge.processor.validate;

import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports errors on the element they are about and remembers how many it reported, so that
 * validation of one annotated type can check every rule and still tell, at the end, whether anything
 * went wrong.
 */
public final class ErrorReporter {
  private final Messager messager;
  private int errorCount;

  /**
   * Creates a reporter that prints to the given messager.
   *
   * @param messager the processing environment's messager
   */
  public ErrorReporter(Messager messager) {
    this.messager = messager;
  }

  /**
   * Reports an error on {@code element}.
   *
   * @param element the method, parameter or type the error is about
   * @param message what is wrong and what would be right
   * @param arguments the message's arguments
   */
  public void error(Element element, Message message, Object... arguments) {
    errorCount++;
    messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element);
  }

  /**
   * Returns how many errors were reported so far; compare before and after checking something to
   * tell whether it failed.
   *
   * @return the number of errors reported by this reporter
   */
  public int errorCount() {
    return errorCount;
  }
}
