package org.clipmsm;

/**
 * A parameter of a kernel, transform or pipeline with a value it cannot take. The message names the parameter as
 * the code calls it ({@code "alphas: expected finite non-negative numbers, got -1"}); a command line that knows which
 * of its options sets {@link #parameter()} shows {@link #reason()} under the option's name instead.
 */
public class InvalidParameterException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  private final String parameter;
  private final String reason;

  /**
   * @param parameter the parameter's name in the code, or several joined by '/' when their combination is wrong
   * @param reason what was expected and what was given
   */
  public InvalidParameterException(String parameter, String reason) {
    super(parameter + ": " + reason);
    this.parameter = parameter;
    this.reason = reason;
  }

  public InvalidParameterException(String parameter, String reason, Throwable cause) {
    super(parameter + ": " + reason, cause);
    this.parameter = parameter;
    this.reason = reason;
  }

  public String parameter() {
    return parameter;
  }

  public String reason() {
    return reason;
  }

  /** Throws unless {@code ok}: a one-line check for a parameter's value. */
  public static void require(boolean ok, String parameter, String reason) {
    if (!ok) {
      throw new InvalidParameterException(parameter, reason);
    }
  }
}
