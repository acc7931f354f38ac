package dev.kona.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;

/**
 * One request on a monitor's control socket: a line out, a line back. {@link #connect} throws
 * IOException when no monitor listens (it has exited, or never started).
 */
final class MonitorClient implements AutoCloseable {
  static final String SOCKET = "ctl.sock";

  private final SocketChannel channel;

  private MonitorClient(SocketChannel channel) {
    this.channel = channel;
  }

  /**
   * sun_path holds 108 bytes with its NUL, but the JDK's channels refuse 107 already ("Unix domain
   * path too long"); a longer path is reached through an fd of its dir.
   */
  private static final int MAX_SOCKET_PATH = 106;

  static MonitorClient connect(Path stateDir) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      Path socket = stateDir.resolve(SOCKET);
      if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } else {
        // The kernel resolves /proc/self/fd/N to the directory, so the name stays short.
        try (OwnedFd dir = LinuxSyscalls.get().open(stateDir.toString(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0)) {
          ch.connect(UnixDomainSocketAddress.of("/proc/self/fd/" + dir.get() + "/" + SOCKET));
        } catch (NativeCallException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
      return new MonitorClient(ch);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /** Sends {@code request} and returns the reply line without its newline. */
  String request(String request) throws IOException {
    send(request);
    return readLine(null);
  }

  void send(String request) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  /** Reads one line; null timeout blocks. Returns null on EOF; throws on timeout. */
  String readLine(Duration timeout) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    Selector selector = null;
    try {
      if (timeout != null) {
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
      }
      long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
      while (true) {
        one.clear();
        int n = channel.read(one);
        if (n < 0) {
          return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
        if (n == 0) {
          long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
          if (leftMillis <= 0) {
            throw new java.net.SocketTimeoutException("no reply within " + timeout);
          }
          selector.select(leftMillis);
          selector.selectedKeys().clear();
          continue;
        }
        byte b = one.get(0);
        if (b == '\n') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(b);
      }
    } finally {
      if (selector != null) {
        selector.close();
      }
    }
  }

  SocketChannel channel() {
    return channel;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a unix socket does not fail in a way worth reporting
    }
  }
}
