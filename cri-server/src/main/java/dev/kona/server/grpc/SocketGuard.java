package dev.kona.server.grpc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Decides what may happen to the socket path before the server binds it: a socket left by a dead
 * Kona is removed; a socket someone answers on is another live server; anything else at that path
 * is never deleted.
 */
final class SocketGuard {

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private SocketGuard() {}

  static void prepare(Path socket) throws IOException, CriServer.SocketUnavailableException {
    Files.createDirectories(socket.getParent());
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int mode = (int) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new CriServer.SocketUnavailableException(
          "socket path " + socket + " exists and is not a socket; refusing to delete it (move it away or set --socket)",
          false);
    }
    if (answers(socket)) {
      throw new CriServer.SocketUnavailableException(
          "another server is listening on " + socket + "; is Kona already running?", true);
    }
    Files.delete(socket);
  }

  private static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
