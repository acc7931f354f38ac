package dev.kona.conformance.bench;

import dev.kona.conformance.fixture.NodeCgroups;
import dev.kona.cri.api.v1.VersionRequest;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Not a test: the project's benchmark report. Runs every benchmark against a Kona daemon built from
 * this checkout and, where Debian's containerd is installed, the same work through containerd's CRI
 * on the same node, registry and CNI network; prints and writes a Markdown table of figure, Kona,
 * containerd and their ratio. {@code scripts/bench.sh} is the one command that runs it.
 *
 * <p>Arguments: {@code --out=FILE} (default target/benchmark-report.md), {@code --containerd=off},
 * {@code --quick} (a few of each, to check the harness), {@code --soak=N} (the soak's pod cycles:
 * 1000, or 20 with --quick; 0 leaves it out), {@code --soak-only} (Kona's soak and nothing else),
 * {@code --starts} (only the container lifecycle and sequential pod starts, no soak, no big pulls: the
 * test node's bench set, where under TCG only the ratios mean anything),
 * {@code --pull-rounds=N} (rounds of the big-image pulls, {@link BigPulls}: 3, or 1 with --quick; 0
 * leaves them out), {@code --pulls-only} (the big-image pulls and nothing else, Kona and containerd),
 * {@code --lists=N} (ListContainers against StreamContainers over N exited containers, {@link
 * StreamedLists}: 10,000, or 200 with --quick; 0 leaves it out), {@code --lists-only} (that and nothing
 * else).
 */
public final class BenchmarkReport {

  /** Named for this benchmark so it can never collide with a node's own network. */
  private static final String BRIDGE = "konabench0";
  private static final String SUBNET = "10.231.0.0/16";

  private BenchmarkReport() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of("target/benchmark-report.md");
    boolean withContainerd = ContainerdTarget.installed();
    BenchSettings settings = BenchSettings.FULL;
    Integer soakCycles = null;
    boolean soakOnly = false;
    boolean startsOnly = false;
    Integer pullRounds = null;
    boolean pullsOnly = false;
    Integer listed = null;
    boolean listsOnly = false;
    for (String arg : args) {
      if (arg.startsWith("--out=")) {
        out = Path.of(arg.substring(6));
      } else if (arg.equals("--containerd=off")) {
        withContainerd = false;
      } else if (arg.equals("--quick")) {
        settings = BenchSettings.QUICK;
      } else if (arg.startsWith("--soak=")) {
        soakCycles = Integer.parseInt(arg.substring(7));
      } else if (arg.equals("--starts")) {
        startsOnly = true;
        soakCycles = 0;
      } else if (arg.equals("--soak-only")) {
        soakOnly = true;
        withContainerd = false;
      } else if (arg.startsWith("--pull-rounds=")) {
        pullRounds = Integer.parseInt(arg.substring(14));
      } else if (arg.equals("--pulls-only")) {
        pullsOnly = true;
      } else if (arg.startsWith("--lists=")) {
        listed = Integer.parseInt(arg.substring(8));
      } else if (arg.equals("--lists-only")) {
        listsOnly = true;
      } else {
        throw new IllegalArgumentException("unknown argument " + arg
            + " (expected --out=FILE, --containerd=off, --quick, --soak=N, --soak-only, --starts, --pull-rounds=N,"
            + " --pulls-only, --lists=N, --lists-only)");
      }
    }
    if (pullRounds == null) {
      pullRounds = settings == BenchSettings.QUICK ? 1 : 3;
    }
    if (soakOnly || startsOnly || listsOnly) {
      pullRounds = 0;
    }
    if (listed == null) {
      listed = settings == BenchSettings.QUICK ? 200 : 10_000;
    }
    if (soakOnly || startsOnly || pullsOnly) {
      listed = 0;
    }
    if (soakCycles == null) {
      soakCycles = settings == BenchSettings.QUICK ? 20 : 1000;
    }
    if (listsOnly) {
      soakCycles = 0;
    }
    if (!withContainerd) {
      System.err.println("containerd is not installed (or --containerd=off): Kona's figures only");
    }
    Path root = Files.createDirectories(Path.of("/tmp/kona-bench-" + ProcessHandle.current().pid()));
    Map<String, List<Figure>> results = new LinkedHashMap<>();
    Map<String, String> versions = new LinkedHashMap<>();
    Map<String, List<String>> failures = new LinkedHashMap<>();
    Map<String, Double> stepMeans = Map.of();
    String soak = "";
    String bigPulls = "";
    String lists = "";
    try (LocalRegistry registry = LocalRegistry.anonymous().open()) {
      String image = registry.host() + "/bench/busybox:1.0";
      String pullImage = registry.host() + "/bench/layers:1.0";
      String pause = registry.host() + "/bench/pause:1.0";
      registry.pusher().push("bench/busybox", "1.0", TestImages.builder().layer(benchBase()).build());
      if (!startsOnly) { // 8 MiB of random data to compress: minutes under the test node's TCG, for the pulls alone
        registry.pusher().push("bench/layers", "1.0", threeLayers());
      }
      registry.pusher().push("bench/pause", "1.0",
          TestImages.builder().layer(TestImages.busyboxBase()).cmd("sleep", "2147483647").build());
      Path cni = writeNetwork(root.resolve("cni"));

      if (!pullsOnly && !listsOnly) {
        try (KonaTarget kona = KonaTarget.start(root.resolve("kona"), registry.host(), cni)) {
          versions.put(kona.name(), version(kona));
          if (!soakOnly) {
            Workloads work = new Workloads(kona, image, pullImage, root.resolve("logs"), settings);
            results.put(kona.name(), startsOnly ? work.runStarts() : work.runAll());
            failures.put(kona.name(), work.failures());
            stepMeans = kona.stepMeans();
          }
          if (soakCycles > 0) {
            kona.images().pullImage(dev.kona.cri.api.v1.PullImageRequest.newBuilder()
                .setImage(dev.kona.cri.api.v1.ImageSpec.newBuilder().setImage(image)).build());
            soak = new Soak(kona, image, root.resolve("kona"), BRIDGE, Path.of("/var/lib/cni/networks/konabench"))
                .run(soakCycles);
          }
        }
      }
      if (withContainerd && !pullsOnly && !listsOnly) {
        try (ContainerdTarget containerd = ContainerdTarget.start(root.resolve("containerd"), registry.host(), pause, cni)) {
          versions.put(containerd.name(), version(containerd));
          // As the kubelet's node would have it: the sandbox image is pulled before the first pod.
          containerd.images().pullImage(dev.kona.cri.api.v1.PullImageRequest.newBuilder()
              .setImage(dev.kona.cri.api.v1.ImageSpec.newBuilder().setImage(pause)).build());
          Workloads work = new Workloads(containerd, image, pullImage, root.resolve("logs"), settings);
          results.put(containerd.name(), startsOnly ? work.runStarts() : work.runAll());
          failures.put(containerd.name(), work.failures());
        }
      }
      if (listed > 0) {
        // A daemon of its own: its memory figures are the lists', not what earlier benchmarks left.
        try (KonaTarget kona = KonaTarget.start(root.resolve("kona-lists"), registry.host(), cni)) {
          kona.images().pullImage(dev.kona.cri.api.v1.PullImageRequest.newBuilder()
              .setImage(dev.kona.cri.api.v1.ImageSpec.newBuilder().setImage(image)).build());
          lists = new StreamedLists(kona, new Workloads(kona, image, pullImage, root.resolve("logs"), settings)).run(listed);
        } catch (Exception e) {
          failures.computeIfAbsent("Kona", k -> new java.util.ArrayList<>()).add("streamed lists: " + e.getMessage());
          System.err.println("[streamed lists] FAILED: " + e);
        }
      }
      if (pullRounds > 0) {
        bigPulls = bigPulls(registry.host(), pause, cni, root, pullRounds, withContainerd);
      }
    } finally {
      cleanUp(root);
    }
    String report = (pullsOnly ? "# Kona benchmark report: big-image pulls\n"
        : listsOnly ? "# Kona benchmark report: streamed lists\n" : markdown(results, versions, failures, settings))
        + steps(stepMeans) + soak + bigPulls + lists;
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    System.out.println(report);
    System.err.println("report written to " + out.toAbsolutePath());
    boolean failed = failures.values().stream().anyMatch(f -> !f.isEmpty());
    System.exit(failed ? 1 : 0); // gRPC's and Netty's non-daemon threads must not keep the report waiting
  }

  /**
   * The big-image pulls: the images built (or taken from the cache) and pushed, the machine's floor
   * for each, then every round pulls each image cold with Kona, containerd without unpigz and
   * containerd with Debian's unpigz, back to back.
   */
  private static String bigPulls(String registryHost, String pause, Path cni, Path root, int rounds, boolean withContainerd)
      throws Exception {
    Map<String, BigImages.Image> images = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    images.put("gzip", BigImages.build(BigImages.Compression.GZIP));
    images.put("zstd", BigImages.build(BigImages.Compression.ZSTD));
    Map<String, String> refs = new LinkedHashMap<>();
    images.forEach((label, image) -> {
      BigImages.push(registryHost, "bench/big-" + label, "1.0", image);
      refs.put(label, registryHost + "/bench/big-" + label + ":1.0");
    });
    System.err.printf(Locale.ROOT, "[big pulls] images built or found in %s and pushed in %.1f s%n", BigImages.CACHE,
        (System.nanoTime() - t0) / 1e9);
    Map<String, BigPulls.Floor> floors = new LinkedHashMap<>();
    for (var e : images.entrySet()) {
      floors.put(e.getKey(), BigPulls.floor(registryHost, "bench/big-" + e.getKey(), e.getValue(), root));
      System.err.println("[big pulls] floor " + e.getKey() + ": " + floors.get(e.getKey()));
    }
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    BigPulls pulls = new BigPulls(root.resolve("logs"));
    List<CriTarget> targets = new java.util.ArrayList<>();
    try {
      KonaTarget kona = KonaTarget.start(root.resolve("kona-big"), registryHost, cni);
      targets.add(kona);
      // Kona as it was before ISA-L: the JDK's zlib inflates its gzip layers
      KonaTarget konaZlib = KonaTarget.start(root.resolve("kona-zlib"), registryHost, cni, "-Dkona.isal=false");
      targets.add(konaZlib);
      ContainerdTarget plain = null;
      ContainerdTarget pigz = null;
      if (withContainerd) {
        plain = ContainerdTarget.start(root.resolve("containerd-big"), registryHost, pause, cni, null);
        targets.add(plain);
        pigz = ContainerdTarget.start(root.resolve("containerd-pigz"), registryHost, pause, cni, BigPulls.unpigzDir());
        targets.add(pigz);
        for (ContainerdTarget c : List.of(plain, pigz)) {
          c.images().pullImage(dev.kona.cri.api.v1.PullImageRequest.newBuilder()
              .setImage(dev.kona.cri.api.v1.ImageSpec.newBuilder().setImage(pause)).build());
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (String label : images.keySet()) {
          pulls.measure("Kona", kona, refs.get(label), label);
          if (label.equals("gzip")) {
            pulls.measure("Kona, JDK zlib (-Dkona.isal=false)", konaZlib, refs.get(label), label);
          }
          if (plain != null) {
            pulls.measure(label.equals("gzip") ? "containerd, Go gzip" : "containerd", plain, refs.get(label), label);
          }
          if (pigz != null && label.equals("gzip")) {
            pulls.measure("containerd, unpigz", pigz, refs.get(label), label);
          }
        }
      }
    } finally {
      for (CriTarget t : targets) {
        t.close();
      }
    }
    String load = "Load average before / after: " + loadBefore + " / " + Files.readString(Path.of("/proc/loadavg")).trim()
        + " (other work on the machine counts).";
    return pulls.markdown(images, floors, rounds, load);
  }

  /** busybox with the applets the workloads use. */
  private static LayerBuilder benchBase() {
    return TestImages.busyboxBase().hardlink("bin/head", "bin/busybox");
  }

  /** busybox and two layers of 4 MiB of incompressible data each: a pull that has bytes to move. */
  private static BuiltImage threeLayers() {
    var builder = TestImages.builder().layer(TestImages.busyboxBase());
    Random random = new Random(42);
    for (String name : List.of("one", "two")) {
      byte[] data = new byte[4 << 20];
      random.nextBytes(data);
      builder.layer(new LayerBuilder().dir("data", 0755).file("data/" + name, data, 0644, 0, 0));
    }
    return builder.build();
  }

  /**
   * One bridge network for both runtimes, with no default route and no masquerading: pod traffic
   * stays on this node.
   */
  private static Path writeNetwork(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("10-konabench.conflist"), """
        {"cniVersion": "1.0.0", "name": "konabench", "plugins": [
          {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
           "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]]}}
        ]}
        """.formatted(BRIDGE, SUBNET));
    return dir;
  }

  private static String version(CriTarget target) {
    var v = target.runtime().version(VersionRequest.getDefaultInstance());
    return v.getRuntimeName() + " " + v.getRuntimeVersion();
  }

  /** Whatever a failed run left: mounts under the bench root, the bridge, the IPAM store, the files. */
  private static void cleanUp(Path root) throws IOException, InterruptedException {
    List<String> mounts;
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
      mounts = lines.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(root.toString()))
          .sorted(Comparator.reverseOrder()).toList();
    }
    for (String mount : mounts) {
      System.err.println("bench cleanup: unmounting leftover " + mount);
      new ProcessBuilder("umount", "-l", mount).inheritIO().start().waitFor();
    }
    if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
      new ProcessBuilder("ip", "link", "del", BRIDGE).inheritIO().start().waitFor();
    }
    deleteTree(Path.of("/var/lib/cni/networks/konabench"));
    if (NodeCgroups.systemdDriver()) {
      // The pods' slices are in the benchmark's slice: stopping it stops them all, as the kubelet would.
      new ProcessBuilder("systemctl", "stop", Workloads.CGROUP_ROOT + ".slice").inheritIO().start().waitFor();
      new ProcessBuilder("systemctl", "reset-failed", Workloads.CGROUP_ROOT + ".slice").inheritIO().start().waitFor();
    }
    removeCgroups(Workloads.CGROUP_ROOT);
    deleteTree(root);
  }

  /** The pod cgroups the kubelet would have removed: empty directories, removed bottom-up. */
  private static void removeCgroups(String name) throws IOException {
    try (Stream<Path> hierarchies = Stream.concat(Stream.of(Path.of("/sys/fs/cgroup")), // v2's one tree
        Files.list(Path.of("/sys/fs/cgroup")))) {
      for (Path hierarchy : hierarchies.toList()) {
        Path top = hierarchy.resolve(name);
        if (!Files.isDirectory(top)) {
          continue;
        }
        try (Stream<Path> dirs = Files.walk(top)) {
          for (Path dir : dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(dir); // rmdir: a cgroup's control files go with it
          }
        } catch (IOException e) {
          System.err.println("bench cleanup: cgroup " + top + " not removed: " + e);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String markdown(Map<String, List<Figure>> results, Map<String, String> versions,
      Map<String, List<String>> failures, BenchSettings settings) {
    List<Figure> kona = results.getOrDefault("Kona", List.of());
    Map<String, Figure> containerd = new LinkedHashMap<>();
    results.getOrDefault("containerd", List.of()).forEach(f -> containerd.put(f.label(), f));
    StringBuilder md = new StringBuilder();
    md.append("# Kona benchmark report\n\n");
    md.append(String.format(Locale.ROOT, "%s, %d cores, kernel %s. ", LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.version")));
    versions.forEach((name, version) -> md.append(name).append(": ").append(version).append(". "));
    md.append("\nSame node, same loopback registry, same CNI bridge network, busybox workloads; ")
        .append("settings: ").append(settings).append(".\n")
        .append("Ratio is Kona / containerd: below 1 means Kona needs less time or memory; for throughput, above 1 means Kona is faster.\n\n");
    md.append("| figure | Kona | containerd | ratio |\n|---|---:|---:|---:|\n");
    for (Figure f : kona) {
      Figure other = containerd.get(f.label());
      md.append("| ").append(f.label()).append(" | ").append(format(f.value()))
          .append(" | ").append(other == null ? "–" : format(other.value()))
          .append(" | ").append(other == null || other.value() == 0 ? "–" : String.format(Locale.ROOT, "%.2f", f.value() / other.value()))
          .append(" |\n");
    }
    failures.forEach((name, failed) -> failed.forEach(f -> md.append("\n**").append(name).append(" failed** ").append(f).append("\n")));
    return md.toString();
  }

  /** Kona's own account of where its lifecycle time goes, over the whole run. */
  static String steps(Map<String, Double> means) {
    if (means.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n## Kona's lifecycle steps (mean over the run, from kona_lifecycle_step_seconds)\n\n")
        .append("| operation / step | ms |\n|---|---:|\n");
    means.forEach((step, ms) -> md.append("| ").append(step).append(" | ").append(format(ms)).append(" |\n"));
    return md.toString();
  }

  private static String format(double value) {
    return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
  }
}
