package dev.kona.server.streaming;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP echo server on 127.0.0.1: echoes until the peer half-closes, then closes. */
final class EchoServer implements AutoCloseable {

  private final ServerSocket socket;
  final AtomicInteger accepted = new AtomicInteger();

  EchoServer() throws IOException {
    socket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::acceptLoop);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket peer = socket.accept();
        accepted.incrementAndGet();
        Thread.ofVirtual().start(() -> echo(peer));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echo(Socket peer) {
    try (peer) {
      peer.getInputStream().transferTo(peer.getOutputStream());
    } catch (IOException e) {
      // The peer went away.
    }
  }

  /** A loopback port nothing listens on (bound, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
