package dev.kona.server.streaming;

import dev.kona.common.error.InternalException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.error.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streaming runtime over real local processes and real loopback sockets: exec runs the command
 * with ProcessBuilder, attach starts the command registered for the container id, dial connects
 * to 127.0.0.1. Records what the server did for the tests to check.
 */
final class ProcessRuntime implements StreamingRuntime {

  final List<Session> sessions = new CopyOnWriteArrayList<>();
  final Map<String, List<String>> attachCommands = new ConcurrentHashMap<>();
  final List<Integer> dialled = new CopyOnWriteArrayList<>();

  @Override
  public CommandSession exec(ExecSpec spec) {
    if (spec.containerId().equals("missing")) {
      throw new NotFoundException("exec in container missing: container not found");
    }
    return start(spec.command(), spec.stdio());
  }

  @Override
  public CommandSession attach(AttachSpec spec) {
    List<String> command = attachCommands.get(spec.containerId());
    if (command == null) {
      throw new NotFoundException("attach " + spec.containerId() + ": container not found");
    }
    return start(command, spec.stdio());
  }

  @Override
  public PortConnection dial(String sandboxId, int port) {
    dialled.add(port);
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    } catch (ConnectException e) {
      close(socket);
      throw new UnavailableException("dial 127.0.0.1:" + port + " in " + sandboxId + ": "
          + e.getMessage());
    } catch (IOException e) {
      close(socket);
      throw new InternalException("dial 127.0.0.1:" + port + ": " + e, e);
    }
    return new PortConnection() {
      @Override
      public InputStream input() {
        try {
          return socket.getInputStream();
        } catch (IOException e) {
          throw new InternalException("socket input: " + e, e);
        }
      }

      @Override
      public OutputStream output() {
        try {
          return socket.getOutputStream();
        } catch (IOException e) {
          throw new InternalException("socket output: " + e, e);
        }
      }

      @Override
      public void shutdownOutput() {
        try {
          socket.shutdownOutput();
        } catch (IOException e) {
          // Already closed.
        }
      }

      @Override
      public void close() {
        ProcessRuntime.close(socket);
      }
    };
  }

  private Session start(List<String> command, StdioOptions stdio) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectInput(stdio.stdin() ? ProcessBuilder.Redirect.PIPE
        : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // Output is always piped, as the engine's stdio sessions are: the server must drain what the
    // client did not ask for.
    builder.redirectErrorStream(stdio.tty());
    try {
      Session session = new Session(builder.start());
      sessions.add(session);
      return session;
    } catch (IOException e) {
      throw new InternalException("start " + command + ": " + e.getMessage(), e);
    }
  }

  /** One process; counts what the server read from its stdout. */
  static final class Session implements CommandSession {
    final Process process;
    final List<TerminalSize> resizes = new CopyOnWriteArrayList<>();
    final AtomicLong stdoutRead = new AtomicLong();
    volatile boolean closed;
    private final InputStream stdout;

    Session(Process process) {
      this.process = process;
      InputStream raw = process.getInputStream();
      this.stdout = new InputStream() {
        @Override
        public int read() throws IOException {
          int b = raw.read();
          if (b >= 0) {
            stdoutRead.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = raw.read(buf, off, len);
          if (n > 0) {
            stdoutRead.addAndGet(n);
          }
          return n;
        }

        @Override
        public void close() throws IOException {
          raw.close();
        }
      };
    }

    @Override
    public OutputStream stdin() {
      return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
      return stdout;
    }

    @Override
    public InputStream stderr() {
      return process.getErrorStream();
    }

    @Override
    public void closeStdin() {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // The process is gone.
      }
    }

    @Override
    public void resize(TerminalSize size) {
      resizes.add(size);
    }

    @Override
    public int awaitExit() throws InterruptedException {
      return process.waitFor();
    }

    @Override
    public void close() {
      closed = true;
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
