package dev.kona.oci.runc;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.engine.StdioSession;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An attach to a container through conmon's attach socket ({@code <bundle>/attach}, AF_UNIX
 * SOCK_SEQPACKET, which the JDK cannot open, hence FFM). Each message conmon sends is one byte
 * naming the stream (2 stdout, 3 stderr) and the data; what we send is the container's stdin;
 * shutting down our write side is stdin EOF. Resizes go to conmon's control FIFO
 * ({@code <bundle>/ctl}, "1 rows cols").
 */
final class ConmonAttachSession implements StdioSession {
  private static final int STDOUT_PIPE = 2;
  private static final int STDERR_PIPE = 3;
  private static final int MESSAGE_MAX = 8192 + 1;
  private static final int STDIN_CHUNK = 32768;

  private final Syscalls sys;
  private final OwnedFd socket;
  private final Path ctl;
  private final PipedInputStream stdout = new PipedInputStream(1 << 16);
  private final PipedInputStream stderr = new PipedInputStream(1 << 16);
  private final AtomicBoolean closed = new AtomicBoolean();

  private ConmonAttachSession(Syscalls sys, OwnedFd socket, Path ctl) throws IOException {
    this.sys = sys;
    this.socket = socket;
    this.ctl = ctl;
    PipedOutputStream out = new PipedOutputStream(stdout);
    PipedOutputStream err = new PipedOutputStream(stderr);
    // A platform thread: the blocking read is a native call, which would pin a virtual thread.
    Thread.ofPlatform().daemon(true).name("kona-attach-" + socket.get()).start(() -> pump(out, err));
  }

  static ConmonAttachSession connect(Syscalls sys, Path bundle, String id) {
    OwnedFd socket = sys.socket(Syscalls.AF_UNIX, Syscalls.SOCK_SEQPACKET, 0);
    // The bundle path may exceed sun_path's 108 bytes: connect through an O_PATH fd instead.
    try (OwnedFd dir = sys.open(bundle.toString(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0)) {
      sys.connectUnix(socket, "/proc/self/fd/" + dir.get() + "/attach");
      return new ConmonAttachSession(sys, socket, bundle.resolve("ctl"));
    } catch (NativeCallException e) {
      socket.close();
      throw new FailedPreconditionException("attach to container " + id + ": its monitor is gone ("
          + e.getMessage() + ")", e);
    } catch (IOException e) {
      socket.close();
      throw new FailedPreconditionException("attach to container " + id + ": " + e.getMessage(), e);
    }
  }

  private void pump(PipedOutputStream out, PipedOutputStream err) {
    byte[] message = new byte[MESSAGE_MAX];
    try (socket; out; err) {
      while (true) {
        int n = sys.read(socket, message);
        if (n <= 0) {
          return;
        }
        OutputStream target = message[0] == STDERR_PIPE ? err : message[0] == STDOUT_PIPE ? out : null;
        if (target != null && n > 1) {
          target.write(message, 1, n - 1);
          target.flush();
        }
      }
    } catch (NativeCallException | IOException e) {
      // The session was closed or the reader went away: end of stream.
    }
  }

  @Override
  public OutputStream stdin() {
    return new FdOutputStream(sys, socket, STDIN_CHUNK, "container stdin", this::closeStdin);
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public InputStream stderr() {
    return stderr;
  }

  @Override
  public void closeStdin() {
    if (socket.isOpen()) {
      try {
        sys.shutdown(socket, Syscalls.SHUT_WR);
      } catch (NativeCallException | IllegalStateException e) {
        // the pump saw the end of the session and closed the socket first: stdin is closed anyway
      }
    }
  }

  @Override
  public void resize(int columns, int rows) {
    try (OwnedFd fd = sys.open(ctl.toString(), OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK, 0)) {
      sys.write(fd, ("1 " + rows + " " + columns + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("resize terminal");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && socket.isOpen()) {
      try {
        sys.shutdown(socket, Syscalls.SHUT_RDWR); // wakes the pump, which closes the socket
      } catch (NativeCallException | IllegalStateException e) {
        // already closed by the pump
      }
    }
  }
}
