package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CNI plugin that dies in the middle of ADD, over the daemon's socket: a test plugin wraps the
 * real bridge plugin, whose ADD has made the pod's veth and leased its IP (host-local) by the time
 * the wrapper is SIGKILLed. RunPodSandbox must fail cleanly, having run DEL: no veth on the bridge,
 * no leased IP, no pinned netns, no pod. And the same when it is the daemon that dies during an
 * ADD: the orphaned plugin goes on, and recovery's DEL at the next start must not run before it
 * has finished, or the ADD completes afterwards and its veth and IP stay forever.
 */
class CniCrashTest {

  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  private static final String BRIDGE = "kcc" + SUFFIX;
  private static final String NETWORK = "kona-cni-crash-" + SUFFIX;
  private static final Duration WAIT = KonaDaemon.scaled(Duration.ofSeconds(30));

  @TempDir Path root;
  private Path ipam;
  private Path calls;
  private Path mode;
  private Path config;
  private KonaDaemon kona;

  @BeforeEach
  void network() throws IOException {
    ipam = root.resolve("ipam");
    calls = root.resolve("calls");
    mode = root.resolve("mode");
    Path bin = Files.createDirectories(root.resolve("cni/bin"));
    Path plugin = bin.resolve("crashbridge");
    // ADD: "crash" runs the real ADD, then dies by SIGKILL before answering; "hold" opens the netns
    // (as bridge does before anything else), waits for the file "release", then runs the real ADD
    // in the netns it holds. Every other command is the real bridge's.
    Files.writeString(plugin, """
        #!/bin/sh
        input=$(cat)
        echo "$CNI_COMMAND" >> %1$s
        if [ "$CNI_COMMAND" = ADD ]; then
          case "$(cat %2$s)" in
            crash)
              printf '%%s' "$input" | /usr/lib/cni/bridge > /dev/null
              kill -9 $$ ;;
            hold)
              # As the real plugin does first: open the netns, then take a while.
              exec 3< "$CNI_NETNS"
              echo held >> %1$s
              while [ ! -e %3$s ]; do sleep 0.05; done
              export CNI_NETNS=/proc/$$/fd/3 ;;
          esac
        fi
        printf '%%s' "$input" | exec /usr/lib/cni/bridge
        """.formatted(calls, mode, root.resolve("release")));
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path netDir = Files.createDirectories(root.resolve("cni/net.d"));
    Files.writeString(netDir.resolve("10-crash.conflist"), """
        {"cniVersion": "1.0.0", "name": "%s", "plugins": [
          {"type": "crashbridge", "bridge": "%s", "isGateway": false, "ipMasq": false,
           "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.251.78.0/24"}]], "dataDir": "%s"}}
        ]}
        """.formatted(NETWORK, BRIDGE, ipam));
    config = root.resolve("kona.toml");
    Files.writeString(config, "[cni]\nbin_dirs = [\"" + bin + "\", \"/usr/lib/cni\"]\n");
  }

  @AfterEach
  void cleanup() throws Exception {
    Files.deleteIfExists(mode);
    Files.writeString(root.resolve("release"), "");
    try {
      if (kona != null) {
        kona.close();
      }
    } finally {
      if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
        for (String veth : names(Path.of("/sys/class/net", BRIDGE, "brif"))) {
          run("ip", "link", "del", veth);
        }
        run("ip", "link", "del", BRIDGE);
      }
    }
  }

  @Test
  void runPodSandbox_pluginKilledMidAdd_failsCleanly_afterDel() throws Exception {
    Files.writeString(mode, "crash");
    kona = KonaDaemon.start(root, "--config=" + config);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod()).build()));

    String message = String.valueOf(e.getStatus().getDescription());
    assertNotEquals(Status.Code.OK, e.getStatus().getCode());
    assertTrue(message.contains("crashbridge"), "names the plugin: " + message);
    assertEquals(List.of("ADD", "DEL"), Files.readAllLines(calls), "the failed ADD was undone by a DEL");
    assertNothingLeft();
  }

  @Test
  void daemonKilledDuringAdd_recoveryDoesNotRaceTheOrphanedAdd() throws Exception {
    Files.writeString(mode, "hold");
    kona = KonaDaemon.start(root, "--config=" + config);
    KonaDaemon doomed = kona;
    CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
      try {
        doomed.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod()).build());
      } catch (StatusRuntimeException expected) {
        // the daemon dies under it
      }
    });
    awaitLine("held");
    kona.kill();
    run.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    // The restarted daemon tears the half-made pod down; then the orphaned ADD is let go.
    kona = KonaDaemon.start(root, "--config=" + config);
    Files.writeString(root.resolve("release"), "");
    awaitNoPluginRunning();

    assertEquals(List.of(), kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList());
    assertTrue(Files.readAllLines(calls).contains("DEL"), "recovery ran DEL: " + Files.readAllLines(calls));
    assertNothingLeft();
  }

  private void assertNothingLeft() throws IOException {
    assertEquals(Set.of(), names(Path.of("/sys/class/net", BRIDGE, "brif")), "veths left on the bridge");
    Set<String> leases = names(ipam.resolve(NETWORK)).stream()
        .filter(f -> !f.equals("lock") && !f.startsWith("last_reserved_ip")).collect(Collectors.toSet());
    assertEquals(Set.of(), leases, "IPs left leased");
    assertEquals(Set.of(), names(root.resolve("run/sandboxes")), "pod run dirs (pinned namespaces) left");
    assertEquals(Set.of(), names(root.resolve("state/sandboxes")), "pod files left");
    assertEquals(Set.of(), names(root.resolve("state/runtime/journal/sandboxes")), "journal entries left");
    List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4]).filter(p -> p.startsWith(root.toString())).toList();
    assertEquals(List.of(), mounts, "mounts left under the test root");
  }

  private void awaitLine(String line) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!(Files.exists(calls) && Files.readAllLines(calls).contains(line))) {
      assertTrue(System.nanoTime() < deadline, "the plugin never printed " + line);
      Thread.sleep(20);
    }
  }

  /** Waits until no process runs the test's plugin (the orphaned ADD and what it started). */
  private void awaitNoPluginRunning() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (pluginRunning()) {
      assertTrue(System.nanoTime() < deadline, "the orphaned plugin still runs");
      Thread.sleep(50);
    }
  }

  private boolean pluginRunning() throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
          if (env.contains("CNI_PATH=") && env.contains(root.toString())) {
            return true;
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return false;
  }

  private static PodSandboxConfig pod() {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("cni-crash").setNamespace("default")
            .setUid(UUID.randomUUID().toString()))
        .setLinux(LinuxPodSandboxConfig.getDefaultInstance())
        .build();
  }

  private static Set<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".tmp"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    new ProcessBuilder(command).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
  }
}
