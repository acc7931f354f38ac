package dev.kona.conformance.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.RuntimeServiceGrpc;
import dev.kona.cri.api.v1.VersionRequest;
import dev.kona.cri.api.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Debian package as its tests use it: built by this checkout's {@code packaging/deb/build.sh}
 * from the daemon the reactor built, commands run with their output, and a CRI client on a socket
 * the test does not own (an installed daemon's).
 */
final class DebPackage {

  static final Path CHECKOUT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();

  private DebPackage() {}

  /** Builds {@code kona_<version>_amd64.deb} into {@code out} and returns it. */
  static Path build(Path out, String version) throws IOException, InterruptedException {
    Result built = run(Duration.ofMinutes(20), Map.of("JAVA_HOME", System.getProperty("java.home")),
        CHECKOUT.resolve("packaging/deb/build.sh").toString(), "--prebuilt", "--version", version, "--out", out.toString());
    assertEquals(0, built.exit(), "packaging/deb/build.sh:\n" + built.output());
    Path deb = out.resolve("kona_" + version + "_amd64.deb");
    assertEquals(deb.toString(), built.output().lines().reduce((a, b) -> b).orElse(""), built.output());
    return deb;
  }

  /** The same package with another version: what an upgrade installs (dpkg-deb -R, edit, -b). */
  static Path rebuildAs(Path deb, String version, Path work) throws IOException, InterruptedException {
    Path tree = work.resolve("tree-" + version);
    assertEquals(0, run("dpkg-deb", "-R", deb.toString(), tree.toString()).exit());
    Path control = tree.resolve("DEBIAN/control");
    Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
    Path out = work.resolve("kona_" + version + "_amd64.deb");
    Result built = run("dpkg-deb", "--root-owner-group", "-Zgzip", "-b", tree.toString(), out.toString());
    assertEquals(0, built.exit(), built.output());
    run("rm", "-rf", tree.toString());
    return out;
  }

  record Result(int exit, String output) {}

  static Result run(String... command) throws IOException, InterruptedException {
    return run(Duration.ofMinutes(5), Map.of(), command);
  }

  static Result run(Duration timeout, Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = builder.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(KonaDaemon.scaled(timeout).toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + ": no exit within " + timeout);
    }
    return new Result(p.exitValue(), new String(out));
  }

  /** A CRI client of the daemon listening on {@code socket}. */
  static final class Client implements AutoCloseable {
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final ManagedChannel channel;

    Client(Path socket) {
      channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .eventLoopGroup(loop).channelType(EpollDomainSocketChannel.class).usePlaintext().build();
    }

    RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
      return RuntimeServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(KonaDaemon.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS);
    }

    dev.kona.cri.api.v1.ImageServiceGrpc.ImageServiceBlockingStub images() {
      return dev.kona.cri.api.v1.ImageServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(KonaDaemon.scaled(Duration.ofSeconds(120)).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls Version until it answers; AssertionError after {@code timeout} (scaled). */
    VersionResponse awaitVersion(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + KonaDaemon.scaled(timeout).toNanos();
      StatusRuntimeException last = null;
      while (System.nanoTime() < deadline) {
        try {
          return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
              .version(VersionRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
          last = e;
          Thread.sleep(200);
        }
      }
      throw new AssertionError("no Version answer within " + timeout + ": " + last);
    }

    @Override
    public void close() {
      channel.shutdownNow();
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  static List<String> lines(String text) {
    return text.lines().toList();
  }
}
