package dev.kona.linux.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.linux.mount.MountInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {

  @Test
  void detect_thisMachine_matchesProcCgroups() throws Exception {
    CgroupLayout layout = CgroupLayout.detect();
    // /proc/self/cgroup has one "0::" line only on a pure v2 host.
    List<String> lines = java.nio.file.Files.readAllLines(Path.of("/proc/self/cgroup"));
    boolean pureV2 = lines.size() == 1 && lines.getFirst().startsWith("0::");
    assertEquals(pureV2 ? CgroupLayout.CgroupVersion.V2 : CgroupLayout.CgroupVersion.V1, layout.version());
    if (!pureV2) {
      assertTrue(layout.has("memory") && layout.has("cpu") && layout.has("pids"), layout.toString());
    }
  }

  @Test
  void detect_hybrid_isV1WithCoMountedControllers() {
    CgroupLayout layout = CgroupLayout.detect(List.of(
        MountInfo.parse("31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755"),
        MountInfo.parse("32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct"),
        MountInfo.parse("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"),
        MountInfo.parse("40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd"),
        MountInfo.parse("41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw")));
    assertEquals(CgroupLayout.CgroupVersion.V1, layout.version());
    assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.hierarchies().get("cpuacct"));
    assertEquals(2, layout.distinctHierarchies().size());
    assertEquals(List.of(Path.of("/sys/fs/cgroup/systemd"), Path.of("/sys/fs/cgroup/unified")),
        layout.otherHierarchies());
    assertEquals(Path.of("/sys/fs/cgroup/memory/kubepods/pod1"),
        layout.dir("memory", CgroupPath.parse("/kubepods/pod1")));
  }

  @Test
  void detect_unified() {
    CgroupLayout layout = CgroupLayout.detect(List.of(
        MountInfo.parse("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate")));
    assertEquals(CgroupLayout.CgroupVersion.V2, layout.version());
    assertEquals(Path.of("/sys/fs/cgroup/a"), layout.dir(CgroupPath.parse("/a")));
    // One tree: every controller's directory is the cgroup's (the v1 accessor used to NPE here).
    assertEquals(Path.of("/sys/fs/cgroup/a"), layout.dir("memory", CgroupPath.parse("/a")));
    assertEquals(Path.of("/sys/fs/cgroup"), layout.dir("pids", CgroupPath.ROOT));
  }

  @Test
  void detect_none_isFailedPrecondition() {
    assertThrows(FailedPreconditionException.class, () -> CgroupLayout.detect(List.of(
        MountInfo.parse("27 1 254:0 / / rw - ext4 /dev/vda rw"))));
  }
}
