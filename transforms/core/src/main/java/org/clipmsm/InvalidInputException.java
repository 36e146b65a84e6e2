package org.clipmsm;

/**
 * Bad user input: a file, field or parameter that is not what was expected. The message is one line that names
 * the file or field and what was expected; the command line prints it as it is, without a stack trace, and
 * exits non-zero.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first line of a cause's message (its class name if it has none), to quote inside a one-line message. */
  public static String firstLine(Throwable cause) {
    String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
