package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.HostFacts;
import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.SystemdSlice;
import dev.kona.linux.systemd.ScopeResources;
import dev.kona.linux.systemd.SystemdManager;
import dev.kona.oci.spec.CpuResources;
import dev.kona.oci.spec.MemoryResources;
import dev.kona.oci.spec.PidsResources;
import dev.kona.oci.spec.Resources;
import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The systemd cgroup driver against a real systemd (the test node: systemd 252 as PID 1, cgroup
 * v2): each container in its transient scope kona-<id>.scope under its pod's slice, with
 * Delegate=yes and its limits, removed through systemd with the slices Kona made, and found again
 * by a new engine (a daemon restart).
 */
class SystemdCgroupsTest extends NativeEngineTestBase {
  static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
  static final String UID = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  static final String SLICE = "kubepods-besteffort-pod" + UID + ".slice";

  final CgroupManager manager = CgroupManager.detect();
  final List<SystemdManager> connections = new ArrayList<>();

  @BeforeAll
  static void needsSystemd() {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/run/systemd/system")),
        "needs systemd as PID 1: runs on the test node (scripts/test-node.sh systemd)");
  }

  @Override
  NativeEngine newEngine() {
    SystemdManager systemd = SystemdManager.connect();
    connections.add(systemd);
    return new NativeEngine(new RunRoot(runRoot), shim, new ContainerPlanner(HostFacts.read(), TestSeccomp.compiler()),
        new SystemdCgroups(systemd, manager, shim), 16384);
  }

  @AfterEach
  void stopLeftovers() throws Exception {
    try (SystemdManager systemd = SystemdManager.connect()) {
      for (String unit : units(systemd)) {
        systemd.stopUnit(unit);
        systemd.resetFailedUnit(unit);
      }
    }
    connections.forEach(SystemdManager::close);
  }

  /** Units this test class may have made and left (only after a failure). */
  static List<String> units(SystemdManager systemd) {
    List<String> out = new ArrayList<>();
    for (String unit : List.of("kona-sd1.scope", "kona-sd2.scope", "kona-sd3.scope", "kona-oom.scope", SLICE)) {
      if (systemd.activeState(unit).filter(state -> !state.equals("inactive")).isPresent()) { // inactive: unloading
        out.add(unit);
      }
    }
    return out;
  }

  Spec limited(String name, long memory, String... args) {
    Spec spec = BusyboxBundle.spec(rootfs, false, args);
    Resources resources = new Resources(null, MemoryResources.limit(memory, memory),
        CpuResources.of(512L, 50_000L, 100_000L, null, null), new PidsResources(64), null, null, null);
    return spec.withLinux(spec.linux().withCgroupsPath(SLICE + ":kona:" + name).withResources(resources));
  }

  static Path scopeDir(String name) {
    return CGROUP_ROOT.resolve(SystemdSlice.expand(SLICE).relative()).resolve("kona-" + name + ".scope");
  }

  static String systemctlShow(String unit, String... properties) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("systemctl", "show", unit));
    for (String p : properties) {
      cmd.add("-p");
      cmd.add(p);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void create_processInItsScopeUnderThePodSliceWithDelegateAndLimits() throws Exception {
    ContainerId id = create("sd1", limited("sd1", 64 << 20, "sh", "-c", "cat /proc/self/cgroup; exec sleep 1000"), false);
    engine.start(id);
    int pid = engine.state(id).pid();
    String cgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup")).strip();
    assertEquals("0::/kubepods.slice/kubepods-besteffort.slice/" + SLICE + "/kona-sd1.scope", cgroup);

    String show = systemctlShow("kona-sd1.scope", "Delegate", "Slice", "MemoryMax", "TasksMax", "CPUQuotaPerSecUSec",
        "CPUWeight", "ActiveState");
    for (String expected : List.of("Delegate=yes", "Slice=" + SLICE, "MemoryMax=67108864", "TasksMax=64",
        "CPUQuotaPerSecUSec=500ms", "CPUWeight=59", "ActiveState=active")) {
      assertTrue(show.lines().anyMatch(expected::equals), expected + " in:\n" + show);
    }
    assertEquals("67108864", Files.readString(scopeDir("sd1").resolve("memory.max")).strip());
    assertEquals("50000 100000", Files.readString(scopeDir("sd1").resolve("cpu.max")).strip());
    sleep(200);
    assertTrue(log("sd1").contains(" stdout F 0::/\n"), "its cgroup namespace is rooted at the scope: " + log("sd1"));

    engine.kill(id, 9);
    engine.waitForExit(id, WAIT);
    engine.delete(id);
    assertNothingLeft();
  }

  @Test
  void update_setsUnitPropertiesAndFiles() throws Exception {
    ContainerId id = create("sd3", limited("sd3", 64 << 20, "sleep", "1000"), false);
    engine.start(id);
    CgroupLimits updated = CgroupLimits.fromSpec(new Resources(null, MemoryResources.limit(96L << 20, 96L << 20),
        CpuResources.of(1024L, 20_000L, 100_000L, null, null), new PidsResources(32), null, null, null));
    try (SystemdManager systemd = SystemdManager.connect()) {
      new ScopeResources(systemd, manager).apply(SLICE + ":kona:sd3", updated);
    }
    String show = systemctlShow("kona-sd3.scope", "MemoryMax", "TasksMax", "CPUQuotaPerSecUSec", "CPUWeight");
    for (String expected : List.of("MemoryMax=100663296", "TasksMax=32", "CPUQuotaPerSecUSec=200ms", "CPUWeight=100")) {
      assertTrue(show.lines().anyMatch(expected::equals), expected + " in:\n" + show);
    }
    assertEquals("100663296", Files.readString(scopeDir("sd3").resolve("memory.max")).strip());
    assertEquals("20000 100000", Files.readString(scopeDir("sd3").resolve("cpu.max")).strip());
    assertEquals("32", Files.readString(scopeDir("sd3").resolve("pids.max")).strip());
    engine.kill(id, 9);
    engine.waitForExit(id, WAIT);
    engine.delete(id);
    assertNothingLeft();
  }

  @Test
  void restart_newEngineFindsAndRemovesTheContainer() throws Exception {
    ContainerId id = create("sd2", limited("sd2", 64 << 20, "sleep", "1000"), false);
    engine.start(id);
    int pid = engine.state(id).pid();

    NativeEngine restarted = newEngine(); // a new daemon: new engine, new systemd connection
    engine = restarted;
    assertEquals(ContainerStatus.RUNNING, restarted.state(id).status());
    assertEquals(pid, restarted.state(id).pid());
    try (SystemdManager systemd = SystemdManager.connect()) {
      assertEquals("active", systemd.activeState("kona-sd2.scope").orElse("not loaded"));
    }
    restarted.kill(id, 9);
    restarted.waitForExit(id, WAIT);
    restarted.delete(id);
    assertNothingLeft();
  }

  @Test
  void exit_oomKillIsReported() throws Exception {
    ContainerId id = create("oom", limited("oom", 16 << 20, "sh", "-c", "head -c 200m /dev/zero | tail"), false);
    engine.start(id);
    ExitStatus exit = engine.waitForExit(id, WAIT);
    assertTrue(exit.oomKilled(), exit.toString());
    engine.delete(id);
    assertNothingLeft();
  }

  void assertNothingLeft() throws IOException, InterruptedException {
    try (SystemdManager systemd = SystemdManager.connect()) {
      assertEquals(List.of(), units(systemd), "units left");
      assertEquals(java.util.Optional.empty(), systemd.activeState("kubepods-besteffort.slice").filter("active"::equals),
          "the parent slices Kona made are stopped with the last container");
    }
    assertFalse(Files.exists(CGROUP_ROOT.resolve(SystemdSlice.expand(SLICE).relative())), "the pod slice's cgroup is gone");
    assertFalse(Files.exists(CGROUP_ROOT.resolve("kubepods.slice")), "kubepods.slice's cgroup is gone");
  }
}
