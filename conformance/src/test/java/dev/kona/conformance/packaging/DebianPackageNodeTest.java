package dev.kona.conformance.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.packaging.DebPackage.Result;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatusRequest;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package on a node with systemd (the test node's set {@code package}): installed, it is
 * neither enabled nor started; started by systemd it answers on /run/kona/kona.sock; an upgrade to
 * the next version while a pod runs restarts the daemon only, the container keeps running (same
 * process) and the new daemon adopts it (exec, stop, remove), and the operator's config survives;
 * a purge stops Kona and keeps /var/lib/kona. Changes the node's /etc, /opt, /var/lib/kona and
 * systemd units, so it runs only where systemd is PID 1: the throw-away test node.
 */
class DebianPackageNodeTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  static final Path SOCKET = Path.of("/run/kona/kona.sock");

  @TempDir Path work;

  @BeforeAll
  static void onlyUnderSystemd() {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/run/systemd/system")),
        "changes the host's systemd units and /etc: runs on the test node (scripts/test-node.sh package)");
  }

  @Test
  void installStartUpgradeUnderARunningPod_andPurge() throws Exception {
    String given = System.getProperty("kona.test.deb");
    Path first = given != null ? Path.of(given) : DebPackage.build(work, "1.0.0~node1");
    String firstVersion = field(first, "Version");
    Path second = DebPackage.rebuildAs(first, firstVersion + "+next", work);
    try {
      install(first);
      assertEquals("disabled", systemctl("is-enabled", "kona.service").output().trim(), "installing does not enable");
      assertEquals("inactive", systemctl("is-active", "kona.service").output().trim(), "installing does not start");

      // The operator's config: the node's driver and the test registry (a conffile edit, kept on upgrade).
      String config = "cgroup_driver = \"systemd\"\n" + registry.konaConfig();
      Files.writeString(Path.of("/etc/kona/kona.toml"), config);
      assertEquals(0, systemctl("enable", "--now", "kona.service").exit());
      long daemonBefore;
      String container;
      long containerPid;
      String pod;
      try (DebPackage.Client kona = new DebPackage.Client(SOCKET)) {
        assertEquals("kona", kona.awaitVersion(Duration.ofSeconds(120)).getRuntimeName());
        daemonBefore = mainPid();
        kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
        PodSandboxConfig podConfig = PodSandboxConfig.newBuilder()
            .setMetadata(PodSandboxMetadata.newBuilder().setName("upgraded").setNamespace("default")
                .setUid(java.util.UUID.randomUUID().toString()))
            .setLogDirectory(work.resolve("logs").toString())
            .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
            .build();
        pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(podConfig).build()).getPodSandboxId();
        container = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
            .setSandboxConfig(podConfig)
            .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("sleeper"))
                .setImage(ImageSpec.newBuilder().setImage(registry.image())).addAllCommand(List.of("sleep", "100000"))
                .setLogPath("sleeper.log"))
            .build()).getContainerId();
        kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(container).build());
        containerPid = pid(kona, container);
      }
      String started = startTime(containerPid);

      install(second);
      assertEquals("install ok installed " + firstVersion + "+next",
          DebPackage.run("dpkg-query", "-W", "-f", "${Status} ${Version}", "kona").output());
      assertEquals(config, Files.readString(Path.of("/etc/kona/kona.toml")), "the edited conffile is kept");
      try (DebPackage.Client kona = new DebPackage.Client(SOCKET)) {
        kona.awaitVersion(Duration.ofSeconds(120));
        assertNotEquals(daemonBefore, mainPid(), "the upgrade restarted the daemon");
        assertEquals(started, startTime(containerPid), "the container's process is the same one, still running");
        assertEquals(ContainerState.CONTAINER_RUNNING, kona.runtime().containerStatus(ContainerStatusRequest.newBuilder()
            .setContainerId(container).build()).getStatus().getState());
        assertEquals(containerPid, pid(kona, container), "the new daemon adopted the running container");
        assertEquals(PodSandboxState.SANDBOX_READY,
            kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItems(0).getState());
        assertEquals("adopted\n", kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(container)
            .addAllCmd(List.of("echo", "adopted")).setTimeout(60).build()).getStdout().toStringUtf8());
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
        assertFalse(Files.exists(Path.of("/proc/" + containerPid)), "the adopted container is stopped and gone");
      }

      Result purge = DebPackage.run("dpkg", "--purge", "kona");
      assertEquals(0, purge.exit(), purge.output());
      assertEquals("inactive", systemctl("is-active", "kona.service").output().trim(), "removal stops Kona");
      assertTrue(Files.isDirectory(Path.of("/var/lib/kona")), "the state root is kept");
      assertFalse(Files.exists(Path.of("/opt/kona")));
    } finally {
      // The node is thrown away after the run; still, leave no unit, daemon or pod for the leftover check.
      if (Files.exists(SOCKET)) {
        try (DebPackage.Client kona = new DebPackage.Client(SOCKET)) {
          for (var p : kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
            kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
            kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
          }
        } catch (RuntimeException e) {
          System.err.println("cleanup: " + e);
        }
      }
      systemctl("stop", "kona.service");
      DebPackage.run("dpkg", "--purge", "kona");
      systemctl("daemon-reload");
      systemctl("reset-failed");
      DebPackage.run("rm", "-rf", "/var/lib/kona", "/run/kona");
    }
  }

  private static void install(Path deb) throws Exception {
    Result r = DebPackage.run(Duration.ofMinutes(10), Map.of(), "dpkg", "-i", deb.toString());
    assertEquals(0, r.exit(), "dpkg -i " + deb + ":\n" + r.output());
  }

  private static String field(Path deb, String name) throws Exception {
    return DebPackage.run("dpkg-deb", "-f", deb.toString(), name).output().trim();
  }

  private static Result systemctl(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "systemctl";
    System.arraycopy(args, 0, command, 1, args.length);
    return DebPackage.run(command);
  }

  private static long mainPid() throws Exception {
    return Long.parseLong(systemctl("show", "-p", "MainPID", "--value", "kona.service").output().trim());
  }

  private static long pid(DebPackage.Client kona, String container) throws Exception {
    String info = kona.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(container)
        .setVerbose(true).build()).getInfoOrThrow("info");
    return new ObjectMapper().readTree(info).get("pid").asLong();
  }

  /** Field 22 of /proc/PID/stat: with the pid, it names one process for good. */
  private static String startTime(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
  }
}
