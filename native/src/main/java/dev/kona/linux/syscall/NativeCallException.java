package dev.kona.linux.syscall;

import dev.kona.common.error.ErrorKind;
import dev.kona.common.error.KonaException;

/**
 * A failed native call: which call, on what (a path, an fd, a pid), and the errno. The one
 * exception type of the syscall layer; {@link #toKonaException()} maps errno to the error family.
 */
public final class NativeCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final String subject;
  private final int errno;

  private NativeCallException(String call, String subject, int errno) {
    super(describe(call, subject, errno));
    this.call = call;
    this.subject = subject;
    this.errno = errno;
  }

  public static NativeCallException of(String call, Object subject, int errno) {
    return new NativeCallException(call, subject == null ? null : subject.toString(), errno);
  }

  public String call() {
    return call;
  }

  public String subject() {
    return subject;
  }

  public int errno() {
    return errno;
  }

  public boolean is(Errno e) {
    return errno == e.number();
  }

  public ErrorKind kind() {
    Errno e = Errno.of(errno);
    return e == null ? ErrorKind.INTERNAL : e.kind();
  }

  public KonaException toKonaException() {
    return KonaException.of(kind(), getMessage(), this);
  }

  private static String describe(String call, String subject, int errno) {
    Errno e = Errno.of(errno);
    String what = e == null ? "errno " + errno : e.name() + " (" + e.description() + ")";
    return subject == null ? call + ": " + what : call + " " + subject + ": " + what;
  }
}
