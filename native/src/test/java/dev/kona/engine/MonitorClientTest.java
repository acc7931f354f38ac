package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The monitor's control socket is reached whatever the length of its state dir's path: a run root
 * deep in the file system (a test's temp dir, a package's chroot) makes exec dirs whose socket path
 * is longer than sun_path holds, and the JDK refuses a path of 107 bytes already.
 */
class MonitorClientTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(ints = {60, 106, 107, 108, 150})
  void connect_reachesTheSocket_whateverTheLengthOfItsPath(int socketPathLength) throws Exception {
    Path dir = tmp;
    int pad = socketPathLength - (tmp.toString().length() + 1 + MonitorClient.SOCKET.length()) - 1;
    dir = Files.createDirectory(tmp.resolve("d".repeat(Math.max(1, pad))));
    Path socket = dir.resolve(MonitorClient.SOCKET);
    assertEquals(socketPathLength, socket.toString().length(), "the test's own arithmetic");

    // Bound through an fd of the dir, as the monitor is free to: any path length works that way.
    try (OwnedFd dirFd = LinuxSyscalls.get().open(dir.toString(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of("/proc/self/fd/" + dirFd.get() + "/" + MonitorClient.SOCKET));
      Thread peer = Thread.ofVirtual().start(() -> {
        try (SocketChannel ch = server.accept()) {
          ByteBuffer in = ByteBuffer.allocate(64);
          while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
            ch.read(in);
          }
          ch.write(ByteBuffer.wrap("pong\n".getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (MonitorClient client = MonitorClient.connect(dir)) {
        assertEquals("pong", client.request("ping"));
      }
      peer.join();
    }
  }
}
