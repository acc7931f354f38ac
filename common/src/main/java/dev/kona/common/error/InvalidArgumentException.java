package dev.kona.common.error;

/** The request is malformed; the message names the field. */
public final class InvalidArgumentException extends KonaException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message) {
    super(message, null);
  }

  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INVALID_ARGUMENT;
  }
}
