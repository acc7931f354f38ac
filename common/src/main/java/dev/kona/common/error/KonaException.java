package dev.kona.common.error;

/**
 * The one error family of Kona. Every module throws these; the gRPC edge maps {@link #kind()} to a
 * status code in exactly one place. A message is a verb phrase, the ids, and expected versus actual;
 * each layer that adds context keeps the kind ({@link #withContext}).
 */
public abstract sealed class KonaException extends RuntimeException
    permits NotFoundException,
        AlreadyExistsException,
        InvalidArgumentException,
        FailedPreconditionException,
        ResourceExhaustedException,
        UnavailableException,
        DeadlineExceededException,
        InternalException {

  private static final long serialVersionUID = 1L;

  protected KonaException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract ErrorKind kind();

  /** The same kind of error with {@code context + ": "} in front of the message. */
  public KonaException withContext(String context) {
    return of(kind(), context + ": " + getMessage(), this);
  }

  public static KonaException of(ErrorKind kind, String message, Throwable cause) {
    return switch (kind) {
      case NOT_FOUND -> new NotFoundException(message, cause);
      case ALREADY_EXISTS -> new AlreadyExistsException(message, cause);
      case INVALID_ARGUMENT -> new InvalidArgumentException(message, cause);
      case FAILED_PRECONDITION -> new FailedPreconditionException(message, cause);
      case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(message, cause);
      case UNAVAILABLE -> new UnavailableException(message, cause);
      case DEADLINE_EXCEEDED -> new DeadlineExceededException(message, cause);
      case INTERNAL -> new InternalException(message, cause);
    };
  }
}
