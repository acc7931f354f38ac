package dev.kona.linux.cgroup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.time.Waits;
import dev.kona.linux.syscall.BpfCalls;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.DeviceRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's v2 device controller on a real cgroup v2 directory (this host's hybrid unified
 * hierarchy; the whole tree on the test node): one program attached per cgroup however often the
 * rules change, the old one detached and freed, the new rules in force, and the program freed with
 * the cgroup. Needs root.
 */
class BpfDeviceGateTest {
  private static final Duration FREED = Duration.ofSeconds(30);
  private static final List<DeviceRule> ALLOW_ALL = List.of(new DeviceRule(true, "a", null, null, "rwm"));
  private static final List<DeviceRule> NULL_ONLY = List.of(DeviceRule.denyAll(), new DeviceRule(true, "c", 1L, 3L, "rwm"));

  private final Syscalls sys = LinuxSyscalls.get();
  private final DeviceGate gate = new BpfDeviceGate(sys);
  private Path cgroup;

  @BeforeEach
  void cgroup() throws Exception {
    Path hierarchy = Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"))
        ? Path.of("/sys/fs/cgroup/unified") : Path.of("/sys/fs/cgroup");
    assertTrue(Files.exists(hierarchy.resolve("cgroup.controllers")), "no cgroup v2 hierarchy at " + hierarchy);
    cgroup = Files.createDirectory(hierarchy.resolve("kona-device-gate-" + ProcessHandle.current().pid()));
  }

  @AfterEach
  void removeCgroup() throws Exception {
    Files.deleteIfExists(cgroup);
  }

  private int[] attached() {
    try (OwnedFd fd = sys.open(cgroup.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0)) {
      return BpfCalls.queryCgroupDevicePrograms(fd.get(), cgroup.toString());
    }
  }

  private static boolean freed(int id) {
    try {
      new OwnedFd(BpfCalls.programFdById(id), LinuxSyscalls.get()).close();
      return false;
    } catch (NativeCallException e) {
      assertTrue(e.is(Errno.ENOENT), e.getMessage());
      return true;
    }
  }

  /** Exit code of reading a byte of /dev/zero from a shell moved into the cgroup. */
  private int readZeroInside() throws Exception {
    Process p = new ProcessBuilder("sh", "-c",
        "echo $$ > " + cgroup.resolve("cgroup.procs") + " && head -c 1 /dev/zero > /dev/null").start();
    return p.waitFor();
  }

  @Test
  void replace_keepsOneProgram_detachesTheOld_andTheNewRulesHold() throws Exception {
    gate.replace(cgroup, ALLOW_ALL);
    int[] first = attached();
    assertEquals(1, first.length);
    assertEquals(0, readZeroInside(), "allow-all");

    gate.replace(cgroup, NULL_ONLY);
    int[] second = attached();
    assertEquals(1, second.length, "replaced, not added");
    assertNotEquals(first[0], second[0]);
    assertNotEquals(0, readZeroInside(), "/dev/zero is no longer allowed");
    assertTrue(Waits.until(FREED, () -> freed(first[0])), "the old program is freed");

    gate.replace(cgroup, ALLOW_ALL);
    assertEquals(0, readZeroInside());
  }

  @Test
  void replace_detachesEveryProgramThereWas() {
    DeviceFilterProgram.of(ALLOW_ALL).attachTo(cgroup, sys);
    DeviceFilterProgram.of(ALLOW_ALL).attachTo(cgroup, sys);
    int[] before = attached();
    assertEquals(2, before.length);
    gate.replace(cgroup, NULL_ONLY);
    int[] after = attached();
    assertEquals(1, after.length);
    for (int id : before) {
      assertTrue(Waits.until(FREED, () -> freed(id)), "program " + id + " freed");
    }
  }

  @Test
  void cgroupRemoved_freesItsProgram() throws Exception {
    gate.replace(cgroup, NULL_ONLY);
    int[] ids = attached();
    assertArrayEquals(ids, attached());
    Files.delete(cgroup);
    assertTrue(Waits.until(FREED, () -> freed(ids[0])), "the program goes with the cgroup");
  }
}
