package dev.kona.server.grpc;

import dev.kona.common.error.KonaException;
import dev.kona.common.error.ResourceExhaustedException;
import dev.kona.image.content.DiskFull;
import dev.kona.linux.syscall.NativeCallException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/** The one place where Kona's errors become gRPC status codes. */
final class ErrorMapper {

  private ErrorMapper() {}

  /** True when the failure is Kona's own bug or an unexpected host failure: log it with its stack. */
  static boolean isInternal(Status status) {
    return status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN;
  }

  static Status toStatus(Throwable failure, String method) {
    if (!(failure instanceof ResourceExhaustedException) && DiskFull.is(failure)) {
      // A full disk wherever it was hit (records, journal, pod files, bundles, the CNI cache):
      // RESOURCE_EXHAUSTED naming the filesystem, which the kubelet acts on (image GC), not INTERNAL.
      failure = DiskFull.error(method.substring(method.lastIndexOf('/') + 1), failure);
    }
    if (failure instanceof NativeCallException n) {
      failure = n.toKonaException();
    }
    return switch (failure) {
      case KonaException k -> codeOf(k).withDescription(k.getMessage()).withCause(k);
      case StatusRuntimeException s -> s.getStatus();
      case StatusException s -> s.getStatus();
      // No stack trace or class name reaches the client; the daemon log has both.
      default ->
          Status.INTERNAL
              .withDescription(method + ": internal error; see the Kona log for details")
              .withCause(failure);
    };
  }

  private static Status codeOf(KonaException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> Status.NOT_FOUND;
      case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
      case INTERNAL -> Status.INTERNAL;
    };
  }
}
