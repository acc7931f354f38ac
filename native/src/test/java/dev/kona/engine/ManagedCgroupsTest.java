package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.engine.plan.HostFacts;
import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.SeccompSyscall;
import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.oci.spec.MemoryResources;
import dev.kona.oci.spec.PidsResources;
import dev.kona.oci.spec.Resources;
import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The native engine with real cgroups (v1 on this host): placement, limits, OOM kills, removal. */
class ManagedCgroupsTest extends NativeEngineTestBase {
  final CgroupManager manager = CgroupManager.detect();
  final String parent = "/kona-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

  @Override
  NativeEngine newEngine() {
    return new NativeEngine(new RunRoot(runRoot), shim, new ContainerPlanner(HostFacts.read(), TestSeccomp.compiler()),
        new ManagedCgroups(manager, CgroupDriver.CGROUPFS), 16384);
  }

  @AfterEach
  void removeParent() {
    manager.delete(CgroupPath.parse(parent), Duration.ofSeconds(5));
  }

  Spec limited(long memory, String... args) {
    Spec spec = BusyboxBundle.spec(rootfs, false, args);
    Resources resources = new Resources(null, MemoryResources.limit(memory, memory), null, new PidsResources(64), null, null, null);
    return spec.withLinux(spec.linux().withCgroupsPath(parent + "/c").withResources(resources));
  }

  @Test
  void create_joinsCgroupWithLimitsAndDeleteRemovesIt() throws IOException {
    Path memoryDir = manager.layout().dir("memory", CgroupPath.parse(parent + "/c"));
    ContainerId id = create("limited", limited(64 << 20, "sh", "-c", "cat /sys/fs/cgroup/pids/pids.max; cat /proc/self/cgroup"), false);
    assertTrue(Files.isDirectory(memoryDir));
    assertEquals(String.valueOf(64 << 20), Files.readString(memoryDir.resolve("memory.limit_in_bytes")).strip());
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code());
    String log = log("limited");
    assertTrue(log.contains(" stdout F 64\n"), log);
    assertTrue(log.contains(":memory:/\n"), "a cgroup namespace rooted at the container's cgroup: " + log);
    engine.delete(id);
    assertFalse(Files.exists(memoryDir));
  }

  @Test
  void exit_oomKillIsReported() throws IOException {
    ContainerId id = create("oom", limited(16 << 20, "sh", "-c", "head -c 200m /dev/zero | tail"), false);
    engine.start(id);
    ExitStatus exit = engine.waitForExit(id, WAIT);
    assertTrue(exit.oomKilled(), exit.toString());
    assertEquals("OOMKilled", exit.reason());
  }

  @Test
  void create_invalidSeccompProfileFailsAndRemovesTheCgroup() throws IOException {
    Spec spec = limited(64 << 20, "true");
    Seccomp bad = Seccomp.of("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86_64"),
        List.of(SeccompSyscall.of("SCMP_ACT_NOPE", List.of("mkdir"))));
    Path bundle = BusyboxBundle.write(dir, "badseccomp", spec.withLinux(spec.linux().withSeccomp(bad)));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> engine.create(
        new CreateRequest(ContainerId.parse("badseccomp"), bundle, null, false, false)));
    assertTrue(e.getMessage().contains("SCMP_ACT_NOPE"), e.getMessage());
    assertFalse(Files.exists(manager.layout().dir("memory", CgroupPath.parse(parent + "/c"))));
    assertFalse(Files.exists(runRoot.resolve("containers/badseccomp")));
  }

  @Test
  void cycles_leaveNoCgroupBehind() throws IOException {
    for (int i = 0; i < 50; i++) {
      Spec spec = BusyboxBundle.spec(rootfs, false, "true");
      ContainerId id = create("cg" + i, spec.withLinux(spec.linux().withCgroupsPath(parent + "/cg" + i)), false);
      engine.start(id);
      assertEquals(0, engine.waitForExit(id, WAIT).code());
      engine.delete(id);
    }
    for (Path hierarchy : manager.layout().distinctHierarchies()) {
      Path dir = hierarchy.resolve(parent.substring(1));
      if (Files.isDirectory(dir)) {
        try (var children = Files.list(dir)) {
          assertEquals(List.of(), children.filter(Files::isDirectory).toList(), "cgroups left in " + dir);
        }
      }
    }
  }
}
