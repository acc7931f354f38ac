package dev.kona.common.error;

/** A bug or an unexpected failure of the host; details go to the daemon log, not the client. */
public final class InternalException extends KonaException {
  private static final long serialVersionUID = 1L;

  public InternalException(String message) {
    super(message, null);
  }

  public InternalException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INTERNAL;
  }
}
