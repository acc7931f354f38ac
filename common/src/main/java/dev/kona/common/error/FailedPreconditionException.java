package dev.kona.common.error;

/** The object is not in a state that allows the operation. */
public final class FailedPreconditionException extends KonaException {
  private static final long serialVersionUID = 1L;

  public FailedPreconditionException(String message) {
    super(message, null);
  }

  public FailedPreconditionException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.FAILED_PRECONDITION;
  }
}
