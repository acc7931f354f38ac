package dev.kona.linux.syscall;

import dev.kona.common.error.ErrorKind;

/** The errno values Kona meets, with their names and the error kind each maps to (once, here). */
public enum Errno {
  EPERM(1, "operation not permitted", ErrorKind.FAILED_PRECONDITION),
  ENOENT(2, "no such file or directory", ErrorKind.NOT_FOUND),
  ESRCH(3, "no such process", ErrorKind.NOT_FOUND),
  EINTR(4, "interrupted system call", ErrorKind.INTERNAL),
  EIO(5, "input/output error", ErrorKind.INTERNAL),
  ENXIO(6, "no such device or address", ErrorKind.NOT_FOUND),
  E2BIG(7, "argument list too long", ErrorKind.INVALID_ARGUMENT),
  ENOEXEC(8, "exec format error", ErrorKind.FAILED_PRECONDITION),
  EBADF(9, "bad file descriptor", ErrorKind.INTERNAL),
  ECHILD(10, "no child processes", ErrorKind.NOT_FOUND),
  EAGAIN(11, "resource temporarily unavailable", ErrorKind.UNAVAILABLE),
  ENOMEM(12, "cannot allocate memory", ErrorKind.RESOURCE_EXHAUSTED),
  EACCES(13, "permission denied", ErrorKind.FAILED_PRECONDITION),
  EFAULT(14, "bad address", ErrorKind.INTERNAL),
  EBUSY(16, "device or resource busy", ErrorKind.FAILED_PRECONDITION),
  EEXIST(17, "file exists", ErrorKind.ALREADY_EXISTS),
  EXDEV(18, "invalid cross-device link", ErrorKind.FAILED_PRECONDITION),
  ENODEV(19, "no such device", ErrorKind.NOT_FOUND),
  ENOTDIR(20, "not a directory", ErrorKind.INVALID_ARGUMENT),
  EISDIR(21, "is a directory", ErrorKind.INVALID_ARGUMENT),
  EINVAL(22, "invalid argument", ErrorKind.INVALID_ARGUMENT),
  ENFILE(23, "too many open files in system", ErrorKind.RESOURCE_EXHAUSTED),
  EMFILE(24, "too many open files", ErrorKind.RESOURCE_EXHAUSTED),
  ENOTTY(25, "inappropriate ioctl for device", ErrorKind.INVALID_ARGUMENT),
  ETXTBSY(26, "text file busy", ErrorKind.FAILED_PRECONDITION),
  EFBIG(27, "file too large", ErrorKind.RESOURCE_EXHAUSTED),
  ENOSPC(28, "no space left on device", ErrorKind.RESOURCE_EXHAUSTED),
  ESPIPE(29, "illegal seek", ErrorKind.INTERNAL),
  EROFS(30, "read-only file system", ErrorKind.FAILED_PRECONDITION),
  EMLINK(31, "too many links", ErrorKind.RESOURCE_EXHAUSTED),
  EPIPE(32, "broken pipe", ErrorKind.UNAVAILABLE),
  ERANGE(34, "numerical result out of range", ErrorKind.INVALID_ARGUMENT),
  ENAMETOOLONG(36, "file name too long", ErrorKind.INVALID_ARGUMENT),
  ENOSYS(38, "function not implemented", ErrorKind.FAILED_PRECONDITION),
  ENOTEMPTY(39, "directory not empty", ErrorKind.FAILED_PRECONDITION),
  ELOOP(40, "too many levels of symbolic links", ErrorKind.INVALID_ARGUMENT),
  ENODATA(61, "no data available", ErrorKind.NOT_FOUND),
  ENOTSOCK(88, "socket operation on non-socket", ErrorKind.INVALID_ARGUMENT),
  EOPNOTSUPP(95, "operation not supported", ErrorKind.FAILED_PRECONDITION),
  EADDRINUSE(98, "address already in use", ErrorKind.ALREADY_EXISTS),
  ECONNRESET(104, "connection reset by peer", ErrorKind.UNAVAILABLE),
  ENOTCONN(107, "transport endpoint is not connected", ErrorKind.FAILED_PRECONDITION),
  ECONNREFUSED(111, "connection refused", ErrorKind.UNAVAILABLE),
  ETIMEDOUT(110, "connection timed out", ErrorKind.DEADLINE_EXCEEDED),
  EDQUOT(122, "disk quota exceeded", ErrorKind.RESOURCE_EXHAUSTED);

  private final int number;
  private final String description;
  private final ErrorKind kind;

  Errno(int number, String description, ErrorKind kind) {
    this.number = number;
    this.description = description;
    this.kind = kind;
  }

  public int number() {
    return number;
  }

  public String description() {
    return description;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The constant for {@code number}, or null for one this table does not name. */
  public static Errno of(int number) {
    for (Errno e : values()) {
      if (e.number == number) {
        return e;
      }
    }
    return null;
  }
}
