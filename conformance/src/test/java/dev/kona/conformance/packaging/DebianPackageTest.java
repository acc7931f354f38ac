package dev.kona.conformance.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatusRequest;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import dev.kona.conformance.packaging.DebPackage.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package (packaging/deb/build.sh) on this host: its metadata and contents, and an install
 * into a throw-away Debian root (an overlay of this host's root on a tmpfs, so that the host's dpkg
 * database satisfies Depends and nothing reaches the host) with its maintainer scripts, the
 * installed daemon started from its own jlinked runtime and answering Version, and a purge that
 * keeps /var/lib/kona; and an upgrade under a running container, adopted by the new version's
 * daemon. systemd, the unit and its restart on upgrade: DebianPackageNodeTest on the test node.
 */
class DebianPackageTest {

  static final String VERSION = "1.0.0~test1";

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir static Path out;
  static Path deb;

  @BeforeAll
  static void build() throws Exception {
    deb = DebPackage.build(out, VERSION);
  }

  @Test
  void package_namesItsVersionDependsAndConffile_andCarriesARuntimeWithoutTheJdk() throws Exception {
    Result fields = DebPackage.run("dpkg-deb", "-f", deb.toString(), "Package", "Version", "Architecture", "Depends");
    assertEquals(0, fields.exit(), fields.output());
    String f = fields.output();
    assertTrue(f.contains("Package: kona\n") && f.contains("Version: " + VERSION + "\n")
        && f.contains("Architecture: amd64\n"), f);
    String depends = f.lines().filter(l -> l.startsWith("Depends: ")).findFirst().orElseThrow();
    List<String> needed = Arrays.asList(depends.substring("Depends: ".length()).split(", "));
    for (String p : List.of("containernetworking-plugins", "iptables", "iproute2", "libseccomp2", "libssl3", "libc6")) {
      assertTrue(needed.contains(p), p + " in " + depends);
    }
    for (String p : List.of("gcc", "libc6-dev", "musl-tools")) {
      assertFalse(needed.contains(p), "kona-shim's build tools are no run-time dependency: " + depends);
    }
    Result conffiles = DebPackage.run("dpkg-deb", "-I", deb.toString(), "conffiles");
    assertEquals("/etc/kona/kona.toml\n", conffiles.output());

    Result listing = DebPackage.run("dpkg-deb", "-c", deb.toString());
    assertEquals(0, listing.exit(), listing.output());
    List<String> paths = new ArrayList<>();
    for (String line : listing.output().lines().toList()) {
      String[] cols = line.split("\\s+", 6);
      assertEquals("root/root", cols[1], "owned by root: " + line);
      paths.add(cols[5]);
    }
    for (String p : List.of("./opt/kona/bin/kona", "./opt/kona/runtime/bin/java", "./opt/kona/runtime/lib/modules",
        "./lib/systemd/system/kona.service", "./etc/kona/kona.toml", "./etc/kona/certs.d/",
        "./usr/bin/kona -> ../../opt/kona/bin/kona", "./usr/share/doc/kona/copyright")) {
      assertTrue(paths.contains(p), p + " in the package:\n" + String.join("\n", paths));
    }
    assertTrue(paths.stream().anyMatch(p -> p.matches("\\./opt/kona/lib/kona-cri-server-.*\\.jar")), "the daemon's jar");
    assertFalse(paths.stream().anyMatch(p -> p.matches("\\./opt/kona/runtime/(bin/javac|jmods/.*|lib/libawt_xawt\\.so)")),
        "a jlinked runtime, headless, not the JDK:\n" + String.join("\n", paths));
  }

  @Test
  void install_intoAThrowawayRoot_runsTheDaemonOnItsOwnRuntime_andPurgeKeepsTheState() throws Exception {
    Path work = Files.createTempDirectory(out, "root");
    Path upper = work.resolve("tmpfs");
    Path merged = work.resolve("merged");
    Files.createDirectories(upper);
    Files.createDirectories(merged);
    List<Path> mounts = new ArrayList<>();
    Process daemon = null;
    try {
      throwawayRoot(upper, merged, mounts);
      Files.copy(deb, merged.resolve("tmp/kona.deb"));

      Result install = DebPackage.run("chroot", merged.toString(), "dpkg", "-i", "/tmp/kona.deb");
      assertEquals(0, install.exit(), install.output());
      assertEquals("install ok installed " + VERSION,
          DebPackage.run("chroot", merged.toString(), "dpkg-query", "-W", "-f", "${Status} ${Version}", "kona").output());
      Path toml = merged.resolve("etc/kona/kona.toml");
      assertTrue(Files.readAllLines(toml).stream().allMatch(l -> l.isBlank() || l.startsWith("#")),
          "the conffile holds the defaults commented out");
      assertTrue(Files.readString(toml).contains("# state_root = \"/var/lib/kona\""), Files.readString(toml));

      // `kona version` through /usr/bin/kona, with no JDK to be found: the package's own runtime.
      Result version = DebPackage.run(Duration.ofMinutes(2), java.util.Map.of("JAVA_HOME", "/nonexistent"),
          "chroot", merged.toString(), "/usr/bin/kona", "version");
      assertEquals(0, version.exit(), version.output());

      // The installed daemon, with the installed config file, on roots of this test.
      Path roots = work.resolve("roots");
      Path socket = roots.resolve("kona.sock");
      ProcessBuilder builder = new ProcessBuilder(merged.resolve("opt/kona/bin/kona").toString(), "daemon",
          "--config=" + toml, "--socket=" + socket, "--state_root=" + roots.resolve("state"),
          "--run_root=" + roots.resolve("run"), "--cni.conf_dir=" + roots.resolve("net.d"),
          "--metrics.address=127.0.0.1:" + KonaDaemon.freePort())
          .redirectErrorStream(true).redirectOutput(work.resolve("daemon.log").toFile());
      builder.environment().put("JAVA_HOME", "/nonexistent");
      Files.createDirectories(roots);
      daemon = builder.start();
      try (DebPackage.Client client = new DebPackage.Client(socket)) {
        assertEquals("kona", client.awaitVersion(Duration.ofSeconds(60)).getRuntimeName(),
            Files.readString(work.resolve("daemon.log")));
      }
      Path java = daemon.toHandle().info().command().map(Path::of).orElseThrow();
      assertEquals(merged.resolve("opt/kona/runtime/bin/java"), java, "the daemon runs on the package's runtime");
      daemon.destroy();
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, daemon.exitValue(), Files.readString(work.resolve("daemon.log")));

      // Purge: the program and the conffile go; the state root stays.
      Path marker = merged.resolve("var/lib/kona/kept");
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "images and records");
      Result purge = DebPackage.run("chroot", merged.toString(), "dpkg", "--purge", "kona");
      assertEquals(0, purge.exit(), purge.output());
      assertFalse(Files.exists(merged.resolve("opt/kona")), "program removed");
      assertFalse(Files.exists(toml), "conffile removed on purge");
      assertEquals("images and records", Files.readString(marker), "the state root is never removed");
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly().waitFor();
      }
      for (Path m : mounts) {
        DebPackage.run("umount", m.toString());
      }
    }
  }

  /**
   * An upgrade without systemd (the unit's restart is DebianPackageNodeTest's): version N runs a
   * container, N+1 is installed over it with dpkg, the old daemon stops (SIGTERM, as the unit's
   * restart sends), the new one starts from the same installed path and adopts the container.
   */
  @Test
  void upgrade_underARunningContainer_theNewDaemonAdoptsIt() throws Exception {
    Path work = Files.createTempDirectory(out, "upgrade");
    Path upper = work.resolve("tmpfs");
    Path merged = work.resolve("merged");
    Files.createDirectories(upper);
    Files.createDirectories(merged);
    Path next = DebPackage.rebuildAs(deb, VERSION + "+next", work);
    List<Path> mounts = new ArrayList<>();
    Path roots = work.resolve("roots");
    Path socket = roots.resolve("kona.sock");
    Process daemon = null;
    try {
      throwawayRoot(upper, merged, mounts);
      Files.copy(deb, merged.resolve("tmp/kona.deb"));
      Files.copy(next, merged.resolve("tmp/kona-next.deb"));
      assertEquals(0, DebPackage.run("chroot", merged.toString(), "dpkg", "-i", "/tmp/kona.deb").exit());
      Files.createDirectories(roots);
      Files.writeString(roots.resolve("kona.toml"), registry.konaConfig());
      KonaDaemon.writeLoopbackNetwork(roots);

      daemon = startInstalled(merged, roots, work.resolve("daemon-1.log"));
      String pod;
      String container;
      long pid;
      String startTime;
      try (DebPackage.Client kona = new DebPackage.Client(socket)) {
        kona.awaitVersion(Duration.ofSeconds(60));
        kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
        PodSandboxConfig podConfig = PodSandboxConfig.newBuilder()
            .setMetadata(PodSandboxMetadata.newBuilder().setName("upgraded").setNamespace("default")
                .setUid(java.util.UUID.randomUUID().toString()))
            .setLogDirectory(roots.resolve("logs").toString())
            .build();
        pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(podConfig).build()).getPodSandboxId();
        container = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
            .setSandboxConfig(podConfig)
            .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("sleeper"))
                .setImage(ImageSpec.newBuilder().setImage(registry.image())).addAllCommand(List.of("sleep", "100000"))
                .setLogPath("sleeper.log"))
            .build()).getContainerId();
        kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(container).build());
        pid = pid(kona, container);
        startTime = startTime(pid);
      }

      Result upgrade = DebPackage.run("chroot", merged.toString(), "dpkg", "-i", "/tmp/kona-next.deb");
      assertEquals(0, upgrade.exit(), upgrade.output());
      assertEquals("install ok installed " + VERSION + "+next",
          DebPackage.run("chroot", merged.toString(), "dpkg-query", "-W", "-f", "${Status} ${Version}", "kona").output());
      daemon.destroy();
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, daemon.exitValue(), Files.readString(work.resolve("daemon-1.log")));
      assertEquals(startTime, startTime(pid), "the container outlives the daemon");

      daemon = startInstalled(merged, roots, work.resolve("daemon-2.log"));
      try (DebPackage.Client kona = new DebPackage.Client(socket)) {
        kona.awaitVersion(Duration.ofSeconds(60));
        assertEquals(ContainerState.CONTAINER_RUNNING, kona.runtime().containerStatus(ContainerStatusRequest.newBuilder()
            .setContainerId(container).build()).getStatus().getState());
        assertEquals(pid, pid(kona, container), "the new daemon adopted the same process");
        try {
          assertEquals("adopted\n", kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(container)
              .addAllCmd(List.of("echo", "adopted")).setTimeout(30).build()).getStdout().toStringUtf8());
        } catch (io.grpc.StatusRuntimeException e) {
          throw new AssertionError("exec in the adopted container: " + e.getStatus() + "\nthe new daemon's log:\n"
              + Files.readString(work.resolve("daemon-2.log")), e);
        }
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "stopped and removed by the new daemon");
      }
    } finally {
      if (daemon != null && daemon.isAlive()) {
        try (DebPackage.Client kona = new DebPackage.Client(socket)) {
          for (var p : kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
            kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
            kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
          }
        } catch (RuntimeException e) {
          System.err.println("cleanup: " + e);
        }
        daemon.destroy();
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
          daemon.destroyForcibly().waitFor();
        }
      }
      for (Path m : mounts) {
        DebPackage.run("umount", m.toString());
      }
    }
  }

  /**
   * {@code merged}: an overlay of the host's / whose writes land on a tmpfs at {@code upper}, with
   * /dev and /proc, so that dpkg in a chroot there finds the host's packages and changes nothing of
   * the host. Each mount goes to the front of {@code mounts} as it is made, for the caller to undo.
   */
  private static void throwawayRoot(Path upper, Path merged, List<Path> mounts) throws Exception {
    sh("mount", "-t", "tmpfs", "kona-deb-test", upper.toString());
    mounts.add(0, upper);
    Files.createDirectories(upper.resolve("u"));
    Files.createDirectories(upper.resolve("w"));
    sh("mount", "-t", "overlay", "kona-deb-test", "-o",
        "lowerdir=/,upperdir=" + upper.resolve("u") + ",workdir=" + upper.resolve("w"), merged.toString());
    mounts.add(0, merged);
    sh("mount", "--bind", "/dev", merged.resolve("dev").toString());
    mounts.add(0, merged.resolve("dev"));
    sh("mount", "-t", "proc", "kona-deb-test", merged.resolve("proc").toString());
    mounts.add(0, merged.resolve("proc"));
  }

  private static Process startInstalled(Path merged, Path roots, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(merged.resolve("opt/kona/bin/kona").toString(), "daemon",
        "--config=" + roots.resolve("kona.toml"), "--socket=" + roots.resolve("kona.sock"),
        "--state_root=" + roots.resolve("state"), "--run_root=" + roots.resolve("run"),
        "--cni.conf_dir=" + roots.resolve("cni/net.d"), "--metrics.address=127.0.0.1:" + KonaDaemon.freePort())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", "/nonexistent");
    return builder.start();
  }

  private static long pid(DebPackage.Client kona, String container) throws IOException {
    String info = kona.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(container)
        .setVerbose(true).build()).getInfoOrThrow("info");
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(info).get("pid").asLong();
  }

  /** Field 22 of /proc/PID/stat: with the pid, it names one process for good. */
  private static String startTime(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
  }

  private static void sh(String... command) throws IOException, InterruptedException {
    Result r = DebPackage.run(command);
    assertEquals(0, r.exit(), String.join(" ", command) + ": " + r.output());
  }
}
