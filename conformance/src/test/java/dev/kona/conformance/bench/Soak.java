package dev.kona.conformance.bench;

import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The soak: many pod cycles (RunPodSandbox on the bridge network, CreateContainer, StartContainer,
 * an ExecSync, StopPodSandbox, RemovePodSandbox) one after the other on one Kona daemon, with what
 * a leak would grow counted before and after: the daemon's fds, threads and heap after a full GC,
 * mounts under its roots, pinned and held namespaces, the pods' cgroups, veths on the bridge and
 * IPAM leases. Not a test (run by scripts/bench.sh); the table says what changed.
 */
final class Soak {

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private final KonaTarget kona;
  private final String image;
  private final Path root;
  private final String bridge;
  private final Path ipam;

  /**
   * @param root the daemon's root (its state and run roots are under it)
   * @param bridge the CNI bridge the pods join
   * @param ipam host-local's directory of leases for the network
   */
  Soak(KonaTarget kona, String image, Path root, String bridge, Path ipam) {
    this.kona = kona;
    this.image = image;
    this.root = root;
    this.bridge = bridge;
    this.ipam = ipam;
  }

  /** Runs {@code cycles} pod cycles; returns the Markdown section with the before/after table. */
  String run(int cycles) throws Exception {
    String cgroupParent = "/" + Workloads.CGROUP_ROOT + "/soak";
    // One cycle first: lazily made things (thread pools, caches, the bridge itself) are not leaks.
    cycle(cgroupParent, -1);
    Map<String, Long> before = count(cgroupParent);
    long t0 = System.nanoTime();
    List<String> failed = new ArrayList<>();
    int done = 0;
    for (int i = 0; i < cycles && failed.size() < 10; i++, done++) {
      try {
        cycle(cgroupParent, i);
      } catch (RuntimeException e) {
        failed.add("cycle " + i + ": " + e.getMessage());
        kona.removeAllPods();
      }
      if ((i + 1) % 100 == 0) {
        System.err.printf(Locale.ROOT, "soak: %d of %d cycles, %.0f ms per cycle%n", i + 1, cycles,
            (System.nanoTime() - t0) / 1e6 / (i + 1));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Long> after = count(cgroupParent);
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "\n## Soak: %d pod cycles (sandbox + container + exec + stop + remove), %.0f s, %.0f ms per cycle\n\n",
        done, seconds, seconds * 1000 / Math.max(1, done)));
    failed.forEach(f -> md.append("**failed** ").append(f).append("\n\n"));
    md.append("| counted | before | after | change |\n|---|---:|---:|---:|\n");
    before.forEach((what, b) -> {
      long a = after.get(what);
      md.append("| ").append(what).append(" | ").append(b).append(" | ").append(a).append(" | ")
          .append(a - b > 0 ? "+" : "").append(a - b).append(" |\n");
    });
    return md.toString();
  }

  private void cycle(String cgroupParent, int i) {
    PodSandboxConfig pod = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("soak-" + i).setNamespace("soak")
            .setUid(UUID.randomUUID().toString()))
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent))
        .build();
    String podId = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build())
        .getPodSandboxId();
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
        .setSandboxConfig(pod)
        .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("app"))
            .setImage(ImageSpec.newBuilder().setImage(image)).addAllCommand(List.of("sleep", "1000")))
        .build()).getContainerId();
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    ExecSyncResponse exec = kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("echo", "soak")).setTimeout(10).build());
    if (exec.getExitCode() != 0 || !exec.getStdout().toStringUtf8().equals("soak\n")) {
      throw new IllegalStateException("soak cycle " + i + ": exec gave " + exec);
    }
    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
  }

  private Map<String, Long> count(String cgroupParent) throws IOException, InterruptedException {
    long pid = kona.pid();
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("daemon fds", listed(Path.of("/proc", Long.toString(pid), "fd")));
    c.put("daemon threads", listed(Path.of("/proc", Long.toString(pid), "task")));
    c.put("daemon heap after full GC (KiB)", heapAfterGc(pid));
    List<String> mounts = mountsUnderRoot();
    c.put("mounts under the roots", (long) mounts.size());
    c.put("pinned namespaces (nsfs mounts)", mounts.stream().filter(m -> m.startsWith("nsfs ")).count());
    c.put("namespaces held by Kona's processes", namespacesHeld(pid));
    c.put("processes of Kona's (monitors, pod inits, containers)", (long) konaProcesses(pid).size());
    c.put("pod cgroups", cgroups(cgroupParent));
    c.put("veths on the bridge", listed(Path.of("/sys/class/net", bridge, "brif")));
    c.put("IPAM leases", leases());
    return c;
  }

  private static long listed(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.count();
    }
  }

  /** Used heap after {@code jcmd GC.run}: the sum of the generations' (or regions') "used". */
  private static long heapAfterGc(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    jcmdOutput(jcmd, pid, "GC.run");
    long used = 0;
    for (String line : jcmdOutput(jcmd, pid, "GC.heap_info").split("\n")) {
      // Unindented lines are the heap (G1) or its generations (Serial: DefNew, Tenured); indented
      // ones are their spaces or regions, and Metaspace is not heap.
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.contains("Metaspace")
          && !line.contains("class space")) {
        Matcher m = USED.matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(1));
        }
      }
    }
    return used;
  }

  private static String jcmdOutput(Path jcmd, long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + ": " + out);
    }
    return out;
  }

  /** "fstype mountpoint" of every mount under the daemon's root. */
  private List<String> mountsUnderRoot() throws IOException {
    List<String> found = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f[4].startsWith(root.toString())) {
        found.add(f[dash + 1] + " " + f[4]);
      }
    }
    return found;
  }

  /** Pids of the processes whose command line names the root (monitors, pod inits), and their descendants. */
  private List<Long> konaProcesses(long daemonPid) {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != daemonPid && p.info().commandLine().map(c -> c.contains(root.toString())).orElse(false))
        .forEach(p -> {
          pids.add(p.pid());
          p.descendants().forEach(d -> pids.add(d.pid()));
        });
    return pids;
  }

  /** Distinct namespaces (of every type) Kona's processes are in, that the host's init is not in. */
  private long namespacesHeld(long daemonPid) throws IOException {
    Set<String> host = namespacesOf(1);
    Set<String> held = new HashSet<>();
    for (long pid : konaProcesses(daemonPid)) {
      held.addAll(namespacesOf(pid));
    }
    held.removeAll(host);
    return held.size();
  }

  private static Set<String> namespacesOf(long pid) {
    Set<String> ns = new HashSet<>();
    for (String type : List.of("net", "ipc", "uts", "pid", "mnt", "cgroup", "user")) {
      try {
        ns.add(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", type)).toString());
      } catch (IOException gone) {
        // exited meanwhile
      }
    }
    return ns;
  }

  /** cgroup directories below the pods' parent, over every hierarchy. */
  private static long cgroups(String parent) throws IOException {
    long n = 0;
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        Path top = h.resolve(parent.substring(1));
        if (Files.isDirectory(top)) {
          try (Stream<Path> dirs = Files.walk(top)) {
            n += dirs.filter(Files::isDirectory).filter(d -> !d.equals(top)).count();
          }
        }
      }
    }
    return n;
  }

  private long leases() throws IOException {
    if (!Files.isDirectory(ipam)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(ipam)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("lock") && !n.startsWith("last_reserved_ip")).count();
    }
  }
}
