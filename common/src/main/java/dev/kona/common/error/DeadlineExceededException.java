package dev.kona.common.error;

/** The operation did not finish within its time limit. */
public final class DeadlineExceededException extends KonaException {
  private static final long serialVersionUID = 1L;

  public DeadlineExceededException(String message) {
    super(message, null);
  }

  public DeadlineExceededException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.DEADLINE_EXCEEDED;
  }
}
