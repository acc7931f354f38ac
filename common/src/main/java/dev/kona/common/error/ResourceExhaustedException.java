package dev.kona.common.error;

/** A bound (ids, disk, in-flight requests) is exhausted. */
public final class ResourceExhaustedException extends KonaException {
  private static final long serialVersionUID = 1L;

  public ResourceExhaustedException(String message) {
    super(message, null);
  }

  public ResourceExhaustedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.RESOURCE_EXHAUSTED;
  }
}
