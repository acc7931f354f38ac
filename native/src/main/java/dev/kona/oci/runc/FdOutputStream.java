package dev.kona.oci.runc;

import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A container's stdin as an OutputStream over an fd the session owns: writes go out in messages of
 * at most {@code chunk} bytes (a SEQPACKET socket keeps message boundaries); {@code onClose} says
 * what closing the stream means for the session.
 */
final class FdOutputStream extends OutputStream {

  private final Syscalls sys;
  private final OwnedFd fd;
  private final int chunk;
  private final String what;
  private final Runnable onClose;

  FdOutputStream(Syscalls sys, OwnedFd fd, int chunk, String what, Runnable onClose) {
    this.sys = sys;
    this.fd = fd;
    this.chunk = chunk;
    this.what = what;
    this.onClose = onClose;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      int end = off + len;
      for (int at = off; at < end; ) {
        int next = at + Math.min(chunk, end - at);
        sys.write(fd, Arrays.copyOfRange(b, at, next));
        at = next;
      }
    } catch (NativeCallException | IllegalStateException e) {
      throw new IOException("write to " + what + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    onClose.run();
  }
}
