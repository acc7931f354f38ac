package dev.kona.linux.syscall;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor this object owns. {@link #close} closes it exactly once even when called from
 * several threads (the swap to -1 is atomic); {@link #release} hands ownership to the caller, who
 * then closes the raw number. Never left to a cleaner: close it in try-with-resources.
 */
public final class OwnedFd implements AutoCloseable {
  private static final int CLOSED = -1;

  private final AtomicInteger fd;
  private final Syscalls syscalls;

  public OwnedFd(int fd, Syscalls syscalls) {
    if (fd < 0) {
      throw new IllegalArgumentException("fd: expected >= 0, got " + fd);
    }
    this.fd = new AtomicInteger(fd);
    this.syscalls = syscalls;
  }

  /** The raw number, for a call made while this object is known to be open. */
  public int get() {
    int value = fd.get();
    if (value == CLOSED) {
      throw new IllegalStateException("fd already closed or released");
    }
    return value;
  }

  public boolean isOpen() {
    return fd.get() != CLOSED;
  }

  /** Gives up ownership: returns the number and will not close it. */
  public int release() {
    int value = fd.getAndSet(CLOSED);
    if (value == CLOSED) {
      throw new IllegalStateException("fd already closed or released");
    }
    return value;
  }

  @Override
  public void close() {
    int value = fd.getAndSet(CLOSED);
    if (value != CLOSED) {
      syscalls.close(value);
    }
  }

  @Override
  public String toString() {
    int value = fd.get();
    return value == CLOSED ? "fd(closed)" : "fd(" + value + ")";
  }
}
