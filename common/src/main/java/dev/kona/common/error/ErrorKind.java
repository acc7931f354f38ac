package dev.kona.common.error;

/** The categories of {@link KonaException}; each maps to one gRPC status code at the edge. */
public enum ErrorKind {
  NOT_FOUND,
  ALREADY_EXISTS,
  INVALID_ARGUMENT,
  FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED,
  UNAVAILABLE,
  DEADLINE_EXCEEDED,
  INTERNAL
}
