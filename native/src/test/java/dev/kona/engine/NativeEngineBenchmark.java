package dev.kona.engine;

import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.HostFacts;
import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: prints create+start latency (until the container's program runs: start returns
 * after its execve succeeded) p50/p99 over 200 busybox containers, sequential and 10 in parallel,
 * the same bundle under runc and crun when installed, and the RSS/PSS of a running monitor.
 * Run as root: {@code java -cp <test classpath> dev.kona.engine.NativeEngineBenchmark [count]}.
 */
public final class NativeEngineBenchmark {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private NativeEngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "kona-bench");
    try {
      Path rootfs = BusyboxBundle.rootfs(dir);
      Path shim = ShimBinary.install(dir.resolve("bin"));
      NativeEngine engine = new NativeEngine(new RunRoot(dir.resolve("run")), shim,
          new ContainerPlanner(HostFacts.read(), null), CgroupPlacement.none(), 16384);
      Path bundle = BusyboxBundle.write(dir, "bundle", BusyboxBundle.spec(rootfs, false, "true"));
      Path podBundle = BusyboxBundle.write(dir, "pod", inPod(BusyboxBundle.spec(rootfs, false, "true")));
      kona(engine, bundle, 20, 1); // warm up
      double[] seq = kona(engine, bundle, count, 1);
      print("kona own netns seq", seq);
      print("kona own netns 10par", kona(engine, bundle, count, 10));
      print("kona pod netns seq", kona(engine, podBundle, count, 1));
      print("kona pod netns 10par", kona(engine, podBundle, count, 10));
      for (String runtime : List.of("/usr/sbin/runc", "/usr/bin/crun")) {
        if (Files.isExecutable(Path.of(runtime))) {
          double[] other;
          try {
            other = oci(runtime, bundle, Math.min(count, 100));
          } catch (IOException e) {
            System.out.println(Path.of(runtime).getFileName() + ": cannot run here: " + e.getMessage());
            continue;
          }
          print(Path.of(runtime).getFileName() + " sequential", other);
          System.out.printf(Locale.ROOT, "  ratio kona/%s p50 %.2f%n", Path.of(runtime).getFileName(), seq[0] / other[0]);
        }
      }
      monitorMemory(engine, rootfs, dir);
    } finally {
      RunRoot.deleteTree(dir);
    }
  }

  /** Joins existing net, ipc and uts namespaces, as a container of a pod joins its pinned ones. */
  private static Spec inPod(Spec spec) {
    String self = "/proc/" + ProcessHandle.current().pid() + "/ns/";
    List<dev.kona.oci.spec.LinuxNamespace> namespaces = new ArrayList<>();
    for (dev.kona.oci.spec.LinuxNamespace ns : spec.linux().namespaces()) {
      String file = switch (ns.type()) {
        case "network" -> "net";
        case "ipc", "uts" -> ns.type();
        default -> null;
      };
      namespaces.add(file == null ? ns : dev.kona.oci.spec.LinuxNamespace.join(ns.type(), self + file));
    }
    return spec.withLinux(spec.linux().withNamespaces(namespaces));
  }

  private static double[] kona(NativeEngine engine, Path bundle, int count, int parallel) throws Exception {
    List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ContainerId id = ContainerId.parse("b" + parallel + "-" + i + "-" + System.nanoTime());
        jobs.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          engine.create(new CreateRequest(id, bundle, null, false, false));
          engine.start(id);
          millis.add((System.nanoTime() - t0) / 1e6);
          engine.waitForExit(id, WAIT);
          engine.delete(id);
          return null;
        }));
      }
      for (Future<?> job : jobs) {
        job.get();
      }
    }
    return percentiles(millis);
  }

  private static double[] oci(String runtime, Path bundle, int count) throws Exception {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "kb-" + i + "-" + System.nanoTime();
      long t0 = System.nanoTime();
      run(runtime, "create", "--bundle", bundle.toString(), id);
      run(runtime, "start", id);
      millis.add((System.nanoTime() - t0) / 1e6);
      run(runtime, "delete", "--force", id);
    }
    return percentiles(millis);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    java.lang.Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    if (p.waitFor() != 0 && !command[1].equals("delete")) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue());
    }
  }

  /** Runs 20 containers that log ~100 lines/s and prints their monitors' mean RSS and PSS. */
  private static void monitorMemory(NativeEngine engine, Path rootfs, Path dir) throws Exception {
    Spec spec = BusyboxBundle.spec(rootfs, false, "sh", "-c", "while true; do echo tick; sleep 0.01; done");
    Path bundle = BusyboxBundle.write(dir, "chatty", spec);
    int n = 20;
    List<ContainerId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ContainerId id = ContainerId.parse("rss" + i);
      engine.create(new CreateRequest(id, bundle, dir.resolve(id + ".log"), true, false));
      engine.start(id);
      ids.add(id);
    }
    Thread.sleep(1000);
    long rss = 0, anon = 0, pss = 0;
    for (ContainerId id : ids) {
      MonitorStatus status = MonitorStatus.read(dir.resolve("run/containers").resolve(id.value()));
      Path proc = Path.of("/proc", Integer.toString(status.monitorPid()));
      rss += kb(Files.readString(proc.resolve("status")), "VmRSS:");
      anon += kb(Files.readString(proc.resolve("status")), "RssAnon:");
      pss += kb(Files.readString(proc.resolve("smaps_rollup")), "Pss:");
    }
    System.out.printf(Locale.ROOT, "monitor memory, mean of %d logging monitors: RSS %d kB (anon %d kB), PSS %d kB%n",
        n, rss / n, anon / n, pss / n);
    for (ContainerId id : ids) {
      engine.kill(id, 9);
      engine.waitForExit(id, WAIT);
      engine.delete(id);
    }
  }

  private static long kb(String text, String key) {
    for (String line : text.split("\n")) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
      }
    }
    return 0;
  }

  private static double[] percentiles(List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return new double[] {sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1), sorted.size()};
  }

  private static void print(String what, double[] p) {
    System.out.printf(Locale.ROOT, "%-22s n=%d p50 %.2f ms p99 %.2f ms%n", what, (int) p[2], p[0], p[1]);
  }
}
