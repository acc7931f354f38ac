package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.VersionRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up and shutdown of a real daemon process: socket ownership, one instance, SIGTERM. */
class DaemonLifecycleTest {

  @TempDir Path root;

  @Test
  void sigterm_exitsZeroAndRemovesSocket() throws Exception {
    KonaDaemon kona = KonaDaemon.start(root);
    long started = System.nanoTime();
    int exit = kona.terminate(Duration.ofSeconds(20));
    double seconds = (System.nanoTime() - started) / 1e9;

    assertEquals(0, exit, kona.log());
    assertFalse(Files.exists(kona.socket()), "socket removed on shutdown");
    assertTrue(kona.log().contains("stopped"), kona.log());
    System.out.printf("SIGTERM to exit: %.2f s%n", seconds);
  }

  @Test
  void staleSocket_isReplaced() throws Exception {
    Path socket = root.resolve("kona.sock");
    // A socket file nobody listens on, as a killed daemon leaves it.
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertTrue(Files.exists(socket));

    try (KonaDaemon kona = KonaDaemon.start(root)) {
      assertEquals("kona", kona.runtime().version(VersionRequest.getDefaultInstance()).getRuntimeName());
    }
  }

  @Test
  void secondInstance_isRefusedAndFirstKeepsServing() throws Exception {
    try (KonaDaemon first = KonaDaemon.start(root.resolve("a"))) {
      // Same socket, its own run root: the live socket is what stops it.
      KonaDaemon second = KonaDaemon.launch(root.resolve("b"), "--socket=" + first.socket());
      assertTrue(second.process().waitFor(30, TimeUnit.SECONDS), "second instance exits");
      assertEquals(3, second.process().exitValue(), second.log());
      assertTrue(second.log().contains("another server is listening on " + first.socket()), second.log());

      // Same run root: the instance lock stops it.
      KonaDaemon third = KonaDaemon.launch(root.resolve("c"),
          "--run_root=" + first.root().resolve("run"), "--metrics.enabled=false");
      assertTrue(third.process().waitFor(30, TimeUnit.SECONDS), "third instance exits");
      assertEquals(3, third.process().exitValue(), third.log());
      assertTrue(third.log().contains("another Kona (pid " + first.pid() + ")"), third.log());

      assertEquals("kona", first.runtime().version(VersionRequest.getDefaultInstance()).getRuntimeName());
    }
  }

  @Test
  void socketPathThatIsNotASocket_isLeftAlone() throws Exception {
    Path notASocket = root.resolve("kona.sock");
    Files.writeString(notASocket, "precious");

    KonaDaemon kona = KonaDaemon.launch(root);
    assertTrue(kona.process().waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, kona.process().exitValue(), kona.log());
    assertTrue(kona.log().contains("exists and is not a socket; refusing to delete it"), kona.log());
    assertEquals("precious", Files.readString(notASocket));
  }

  @Test
  void systemdDriverWithoutSystemd_stopsStartUpWithExitTwo() throws Exception {
    // This host boots without systemd (the test node, which has it, proves the driver itself).
    Assumptions.assumeFalse(Files.exists(Path.of("/run/systemd/system")), "systemd is running on this host");

    KonaDaemon kona = KonaDaemon.launch(root, "--cgroup_driver=systemd");
    assertTrue(kona.process().waitFor(30, TimeUnit.SECONDS), "a daemon with the systemd driver but no systemd exits");
    assertEquals(2, kona.process().exitValue(), kona.log());
    String log = kona.log();
    assertTrue(log.contains("cgroup_driver = \"systemd\", but systemd does not answer on the system bus"), log);
    assertTrue(log.contains("set cgroup_driver = \"cgroupfs\" on a host without systemd"), log);
    assertFalse(Files.exists(root.resolve("kona.sock")), "no socket for a daemon that never started");
  }

  @Test
  void badConfigFile_stopsStartUpNamingFileAndKey() throws Exception {
    Path config = root.resolve("kona.toml");
    Files.writeString(config, "[log]\nlevel = \"debug\"\nformatt = \"json\"\n");

    KonaDaemon kona = KonaDaemon.launch(root, "--config=" + config);
    assertTrue(kona.process().waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, kona.process().exitValue());
    String log = kona.log();
    assertTrue(log.contains("config " + config + ": unknown key \"log.formatt\"; expected one of: format, level"), log);
    assertFalse(Files.exists(root.resolve("kona.sock")), "no socket for a daemon that never started");
  }

  @Test
  void jsonLogFormat_writesOneObjectPerLine() throws IOException, InterruptedException {
    try (KonaDaemon kona = KonaDaemon.start(root, "--log.format=json")) {
      String first = kona.log().lines().filter(l -> l.contains("ready on unix:")).findFirst().orElseThrow();
      assertTrue(first.startsWith("{") && first.endsWith("}"), first);
      assertTrue(first.contains("\"level\":\"INFO\""), first);
      assertTrue(first.contains("\"formattedMessage\":\"Kona "), first);
    }
  }
}
