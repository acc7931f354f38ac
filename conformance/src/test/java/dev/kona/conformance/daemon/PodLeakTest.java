package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.fixture.NodeCgroups;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods with two running containers each, created and torn down over and over through the CRI,
 * leave the mount table, the pod's cgroups (on v1 or v2), the systemd units of Kona's (under the
 * systemd driver: no container scope, and the pod slice Kona started is stopped), the monitors, the
 * run root and the daemon's pidfds (it holds one per live monitor) as they found them.
 */
class PodLeakTest {

  static final int CYCLES = Integer.getInteger("kona.leak.cycles", 200);

  @TempDir Path root;

  @Test
  void podCycles_leaveNothingBehind() throws Exception {
    String cgroupParent = NodeCgroups.podParent("leak");
    try (BusyboxRegistry registry = BusyboxRegistry.open()) {
      String image = registry.image();
      try (KonaDaemon kona = registry.startKona(root)) {
        kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
        Snapshot before = Snapshot.take(root, cgroupParent, kona.pid());
        long t0 = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
          PodSandboxConfig pod = PodSandboxConfig.newBuilder()
              .setMetadata(PodSandboxMetadata.newBuilder().setName("leak-" + i).setNamespace("default")
                  .setUid(UUID.randomUUID().toString()))
              .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent))
              .build();
          String podId = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build()).getPodSandboxId();
          for (String name : List.of("a", "b")) {
            String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
                .setSandboxConfig(pod)
                .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name))
                    .setImage(ImageSpec.newBuilder().setImage(image)).addAllCommand(List.of("sleep", "1000")))
                .build()).getContainerId();
            kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
          }
          kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
          kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d pod cycles (run, 2 x create+start, stop, remove): %.1f s, %.0f ms per cycle%n",
            CYCLES, seconds, seconds * 1000 / CYCLES);
        assertEquals(before, Snapshot.take(root, cgroupParent, kona.pid()), "state after " + CYCLES + " cycles");
      }
    } finally {
      // The pod cgroup parent is the kubelet's to remove, not the runtime's: the test removes it.
      NodeCgroups.removeParent(cgroupParent);
    }
  }

  /**
   * What a pod could leak: mounts under the test root, its cgroups, systemd units, monitors, files in
   * the run root, pidfds.
   */
  record Snapshot(List<String> mounts, List<String> cgroups, List<String> units, long monitors, List<String> runRoot,
      long daemonPidfds) {

    static Snapshot take(Path root, String cgroupParent, long daemonPid) throws IOException, InterruptedException {
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(l -> l.split(" ")[4]).filter(p -> p.startsWith(root.toString())).sorted().toList();
      List<String> cgroups = NodeCgroups.childCgroups(cgroupParent);
      List<String> units = NodeCgroups.konaUnits(cgroupParent);
      long monitors;
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        monitors = procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
            .filter(p -> {
              try {
                return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(root.toString());
              } catch (IOException gone) {
                return false;
              }
            }).count();
      }
      List<String> runRoot;
      try (Stream<Path> walk = Files.walk(root.resolve("run"))) {
        runRoot = walk.map(Path::toString).filter(p -> p.contains("/sandboxes/") || p.contains("/containers/"))
            .sorted().toList();
      }
      long pidfds;
      try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(daemonPid), "fd"))) {
        pidfds = fds.filter(fd -> {
          try {
            return Files.readSymbolicLink(fd).toString().equals("anon_inode:[pidfd]");
          } catch (IOException closedMeanwhile) {
            return false;
          }
        }).count();
      }
      return new Snapshot(mounts, cgroups, units, monitors, runRoot, pidfds);
    }
  }
}
