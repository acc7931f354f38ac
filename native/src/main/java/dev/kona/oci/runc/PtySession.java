package dev.kona.oci.runc;

import dev.kona.engine.StdioSession;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;

/**
 * stdio over the master end of a process's terminal: output (stdout and stderr folded, as a
 * terminal does) is pumped from the master, input written to it; closing stdin sends EOT (^D)
 * as a terminal's user would. The master is closed when the process's side hangs up.
 */
final class PtySession implements StdioSession {
  private static final byte EOT = 4;

  private final Syscalls sys;
  private final OwnedFd master;
  private final PipedInputStream stdout = new PipedInputStream(1 << 16);

  PtySession(Syscalls sys, OwnedFd master) throws IOException {
    this.sys = sys;
    this.master = master;
    PipedOutputStream out = new PipedOutputStream(stdout);
    Thread.ofPlatform().daemon(true).name("kona-pty-" + master.get()).start(() -> pump(out));
  }

  private void pump(PipedOutputStream out) {
    byte[] buffer = new byte[8192];
    try (master; out) {
      while (true) {
        int n = sys.read(master, buffer);
        if (n <= 0) {
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (NativeCallException | IOException e) {
      // EIO: every slave end is closed, the process is gone
    }
  }

  @Override
  public OutputStream stdin() {
    // Closing a terminal's input stream sends nothing: EOF on a tty is ^D, the client's to type.
    return new FdOutputStream(sys, master, Integer.MAX_VALUE, "terminal", () -> {});
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public InputStream stderr() {
    return InputStream.nullInputStream();
  }

  @Override
  public void closeStdin() {
    try {
      stdin().write(EOT);
    } catch (IOException e) {
      // the terminal is already gone
    }
  }

  @Override
  public void resize(int columns, int rows) {
    try {
      sys.setWindowSize(master, rows, columns);
    } catch (NativeCallException | IllegalStateException e) {
      // the terminal is already gone
    }
  }

  @Override
  public void close() {
    // Detach only: closing the master would hang up (SIGHUP) the process.
  }
}
