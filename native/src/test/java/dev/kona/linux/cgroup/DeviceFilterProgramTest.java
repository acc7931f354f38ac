package dev.kona.linux.cgroup;

import static dev.kona.linux.cgroup.DeviceFilterProgram.ACC_MKNOD;
import static dev.kona.linux.cgroup.DeviceFilterProgram.ACC_READ;
import static dev.kona.linux.cgroup.DeviceFilterProgram.ACC_WRITE;
import static dev.kona.linux.cgroup.DeviceFilterProgram.DEV_BLOCK;
import static dev.kona.linux.cgroup.DeviceFilterProgram.DEV_CHAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.oci.spec.DeviceRule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The v2 device program, run on a small interpreter of the eBPF instructions it uses (the kernel's
 * semantics for them) against the access a container would make, and once for real: loaded and
 * attached to a cgroup of this host's v2 hierarchy (the unified one of a hybrid v1 host), where
 * the kernel runs it on every device open. Needs root.
 */
class DeviceFilterProgramTest {

  /** The rules the runtime service gives an unprivileged container, plus a CRI device 1:11 "r". */
  static final List<DeviceRule> CONTAINER = List.of(
      DeviceRule.denyAll(),
      new DeviceRule(true, "c", null, null, "m"),
      new DeviceRule(true, "b", null, null, "m"),
      new DeviceRule(true, "c", 1L, 3L, "rwm"),
      new DeviceRule(true, "c", 1L, 5L, "rwm"),
      new DeviceRule(true, "c", 1L, 7L, "rwm"),
      new DeviceRule(true, "c", 1L, 8L, "rwm"),
      new DeviceRule(true, "c", 1L, 9L, "rwm"),
      new DeviceRule(true, "c", 5L, 0L, "rwm"),
      new DeviceRule(true, "c", 5L, 2L, "rwm"),
      new DeviceRule(true, "c", 136L, null, "rwm"),
      new DeviceRule(true, "c", 1L, 11L, "r"));

  @Test
  void containerRules_allowTheStandardNodesAndMknod_denyTheHostsDisks() {
    byte[] program = DeviceFilterProgram.of(CONTAINER).bytes();
    assertEquals(1, run(program, DEV_CHAR, ACC_READ | ACC_WRITE, 1, 3), "/dev/null rw");
    assertEquals(1, run(program, DEV_CHAR, ACC_READ | ACC_WRITE, 136, 4), "a pty");
    assertEquals(1, run(program, DEV_CHAR, ACC_READ | ACC_WRITE, 5, 2), "/dev/ptmx");
    assertEquals(1, run(program, DEV_BLOCK, ACC_MKNOD, 254, 0), "mknod of any node");
    assertEquals(0, run(program, DEV_BLOCK, ACC_READ, 254, 0), "read the host's disk");
    assertEquals(0, run(program, DEV_CHAR, ACC_READ | ACC_WRITE, 10, 237), "loop-control");
    assertEquals(0, run(program, DEV_CHAR, ACC_WRITE, 5, 1), "the host's console");
    assertEquals(1, run(program, DEV_CHAR, ACC_READ, 1, 11), "the CRI device, read");
    assertEquals(0, run(program, DEV_CHAR, ACC_WRITE, 1, 11), "the CRI device, write");
    assertEquals(0, run(program, DEV_CHAR, ACC_READ | ACC_WRITE, 1, 11), "the CRI device, read-write");
  }

  @Test
  void program_hasRuncsShape() {
    List<DeviceFilterProgram.Insn> insns = DeviceFilterProgram.of(CONTAINER).instructions();
    // 6 prologue + c *:* m (JNE type, 3 access, mov, exit) + b *:* m (same) + 7 exact rwm (3 each + 2)
    // + 136:* (2 + 2) + 1:11 r (type, 3 access, major, minor, 2) + default (2)
    assertEquals(6 + 6 + 6 + 7 * 5 + 4 + 8 + 2, insns.size());
    assertEquals(new DeviceFilterProgram.Insn(0x55, 2, 0, 5, DEV_CHAR), insns.get(6), "c *:* m skips its block when not char");
    assertEquals(new DeviceFilterProgram.Insn(0xb4, 0, 0, 0, 0), insns.get(insns.size() - 2), "default deny");
    assertEquals(8 * insns.size(), DeviceFilterProgram.of(CONTAINER).bytes().length);
  }

  @Test
  void privileged_allowsEverything_andLaterDenyTakesAccessAway() {
    byte[] all = DeviceFilterProgram.of(List.of(new DeviceRule(true, "a", null, null, "rwm"))).bytes();
    assertEquals(1, run(all, DEV_BLOCK, ACC_READ | ACC_WRITE, 8, 0));
    assertEquals(8 * 8, all.length, "the prologue, then return 1");

    DeviceFilterProgram.Folded f = DeviceFilterProgram.fold(List.of(DeviceRule.denyAll(),
        new DeviceRule(true, "c", 1L, 3L, "rwm"), new DeviceRule(false, "c", 1L, 3L, "w")));
    assertEquals(List.of(new DeviceFilterProgram.Entry(DEV_CHAR, 1, 3, ACC_READ | ACC_MKNOD)), f.exceptions());
    byte[] p = DeviceFilterProgram.of(List.of(DeviceRule.denyAll(), new DeviceRule(true, "c", 1L, 3L, "rwm"),
        new DeviceRule(false, "c", 1L, 3L, "w"))).bytes();
    assertEquals(1, run(p, DEV_CHAR, ACC_READ, 1, 3));
    assertEquals(0, run(p, DEV_CHAR, ACC_WRITE, 1, 3));

    byte[] blacklist = DeviceFilterProgram.of(List.of(new DeviceRule(false, "b", 8L, null, "rw"))).bytes();
    assertEquals(0, run(blacklist, DEV_BLOCK, ACC_READ, 8, 1));
    assertEquals(1, run(blacklist, DEV_BLOCK, ACC_MKNOD, 8, 1));
    assertEquals(1, run(blacklist, DEV_CHAR, ACC_READ, 8, 1));
  }

  @Test
  void attached_theKernelEnforcesIt() throws Exception {
    Path hierarchy = Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"))
        ? Path.of("/sys/fs/cgroup/unified") : Path.of("/sys/fs/cgroup");
    assertTrue(Files.exists(hierarchy.resolve("cgroup.controllers")), "no cgroup v2 hierarchy at " + hierarchy);
    Path cgroup = Files.createDirectory(hierarchy.resolve("kona-device-filter-" + ProcessHandle.current().pid()));
    try {
      DeviceFilterProgram.of(CONTAINER).attachTo(cgroup, LinuxSyscalls.get());
      String enter = "echo $$ > " + cgroup.resolve("cgroup.procs") + " && ";
      // A block and a char device outside the allow list: this process may open them, the cgroup's may not.
      for (String device : List.of("/dev/loop0", "/dev/loop-control")) {
        assertEquals(List.of("0", ""), sh("exec 3<" + device), "outside the cgroup root opens " + device);
        List<String> denied = sh(enter + "exec 3<" + device);
        assertNotEquals("0", denied.get(0), device);
        assertTrue(denied.get(1).contains("Operation not permitted"), denied.get(1));
      }
      assertEquals(List.of("0", "1\n"), sh(enter + "head -c 1 /dev/zero | wc -c"), "/dev/zero allowed");
    } finally {
      Files.delete(cgroup);
    }
  }

  /** Exit code and stderr (stdout when it succeeded) of {@code sh -c script}. */
  private static List<String> sh(String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", script).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    int code = p.waitFor();
    return List.of(Integer.toString(code), code == 0 ? out : err);
  }

  @Test
  void badRules_areRefusedNamingTheField() {
    assertThrows(IllegalArgumentException.class,
        () -> DeviceFilterProgram.of(List.of(new DeviceRule(true, "x", 1L, 1L, "r"))));
    assertThrows(IllegalArgumentException.class,
        () -> DeviceFilterProgram.of(List.of(new DeviceRule(true, "c", 1L, 1L, "rx"))));
    assertThrows(IllegalArgumentException.class,
        () -> DeviceFilterProgram.of(List.of(new DeviceRule(false, "a", null, null, "r"))));
  }

  /**
   * Runs the program on a {@code struct bpf_cgroup_dev_ctx} (access_type, major, minor) with the
   * kernel's semantics for the instructions the generator emits; anything else fails the test.
   */
  static int run(byte[] program, int type, int access, int major, int minor) {
    ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    int[] ctx = {(access << 16) | type, major, minor};
    long[] r = new long[11];
    List<Integer> seen = new ArrayList<>();
    for (int pc = 0; ; pc++) {
      if (pc < 0 || pc * 8 >= program.length) {
        throw new AssertionError("jumped out of the program to " + pc);
      }
      seen.add(pc);
      int op = code.get(pc * 8) & 0xff;
      int regs = code.get(pc * 8 + 1) & 0xff;
      int dst = regs & 0xf;
      int src = regs >> 4;
      short off = code.getShort(pc * 8 + 2);
      int imm = code.getInt(pc * 8 + 4);
      switch (op) {
        case 0x61 -> {
          if (src != 1 || off % 4 != 0 || off < 0 || off > 8) {
            throw new AssertionError("load outside the context at " + pc);
          }
          r[dst] = Integer.toUnsignedLong(ctx[off / 4]);
        }
        case 0x54 -> r[dst] = Integer.toUnsignedLong((int) r[dst] & imm);
        case 0x74 -> r[dst] = Integer.toUnsignedLong((int) r[dst] >>> imm);
        case 0xb4 -> r[dst] = Integer.toUnsignedLong(imm);
        case 0xbc -> r[dst] = Integer.toUnsignedLong((int) r[src]);
        case 0x55 -> pc += r[dst] != (long) imm ? off : 0;
        case 0x5d -> pc += r[dst] != r[src] ? off : 0;
        case 0x95 -> {
          return (int) r[0];
        }
        default -> throw new AssertionError(String.format("opcode 0x%02x at %d", op, pc));
      }
      if (seen.size() > program.length) {
        throw new AssertionError("loop");
      }
    }
  }
}
