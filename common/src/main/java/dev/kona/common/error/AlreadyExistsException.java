package dev.kona.common.error;

/** An object with that name or id exists already. */
public final class AlreadyExistsException extends KonaException {
  private static final long serialVersionUID = 1L;

  public AlreadyExistsException(String message) {
    super(message, null);
  }

  public AlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.ALREADY_EXISTS;
  }
}
