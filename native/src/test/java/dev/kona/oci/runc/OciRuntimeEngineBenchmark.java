package dev.kona.oci.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.engine.ContainerId;
import dev.kona.engine.CreateRequest;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.testing.KernelTempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.kona.oci.spec.Root;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prints create+start latency of busybox containers under runc and crun with conmon, sequential
 * and 10 in parallel, and the full create-to-exit time of {@code true}. Figures only, no timed
 * assertions. Run with {@code -Dtest=OciRuntimeEngineBenchmark}; {@code -Dkona.bench.n=200}.
 */
class OciRuntimeEngineBenchmark {
  private static final int N = Integer.getInteger("kona.bench.n", 40);

  @TempDir(factory = KernelTempDir.class)
  Path tmp;

  private final CgroupPath parent = CgroupPath.ROOT.child(KernelTempDir.PREFIX + "bench-" + ProcessHandle.current().pid());

  @AfterEach
  void cleanUp() throws IOException {
    CgroupManager.detect().delete(parent, Duration.ofSeconds(10));
    assertEquals(List.of(), OciRuntimeEngineTest.monitorsUnder(tmp));
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void createStart(String runtime) throws Exception {
    Path root = tmp.resolve("runtime-root");
    OciRuntime r = runtime.equals("runc") ? OciRuntime.runc(root) : OciRuntime.crunForHost(root, tmp.resolve("bin"));
    OciRuntimeEngine engine = new OciRuntimeEngine(r, tmp.resolve("state"), LinuxSyscalls.get());
    // conmon keeps its control FIFOs and attach socket in the bundle: one bundle per container,
    // all sharing one read-only rootfs.
    Path rootfs = BusyboxBundle.create(tmp.resolve("base"), null, List.of("true")).resolve("rootfs");
    Spec spec = BusyboxBundle.spec(null, List.of("true")).withRoot(new Root(rootfs.toString(), true));

    List<Long> sequential = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      sequential.add(runOne(engine, spec, runtime + "-s" + i));
    }
    List<Long> parallel = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        String name = runtime + "-p" + i;
        all.add(pool.submit(() -> parallel.add(runOne(engine, spec, name))));
      }
      for (Future<?> f : all) {
        f.get();
      }
    }
    System.out.printf("%s+conmon create+start->exit(true): sequential p50 %.1f ms p99 %.1f ms; "
            + "10 parallel p50 %.1f ms p99 %.1f ms (n=%d)%n", runtime,
        pct(sequential, 50), pct(sequential, 99), pct(parallel, 50), pct(parallel, 99), N);
  }

  private long runOne(OciRuntimeEngine engine, Spec spec, String name) throws IOException {
    ContainerId id = ContainerId.parse(name);
    Path bundle = Files.createDirectories(tmp.resolve("bundles").resolve(name));
    SpecJson.write(bundle, spec);
    long start = System.nanoTime();
    engine.create(new CreateRequest(id, bundle, null, false, false));
    engine.start(id);
    engine.waitForExit(id, Duration.ofSeconds(30));
    long took = System.nanoTime() - start;
    engine.delete(id);
    return took;
  }

  private static double pct(List<Long> nanos, int p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int idx = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, idx)) / 1e6;
  }
}
