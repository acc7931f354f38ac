package dev.kona.common.error;

/** A dependency (registry, plugin, monitor) cannot be reached now; a retry may succeed. */
public final class UnavailableException extends KonaException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message) {
    super(message, null);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.UNAVAILABLE;
  }
}
