package dev.kona.linux.cgroup;

import dev.kona.linux.syscall.BpfCalls;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.DeviceRule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroup v2 device controller: a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program built from OCI
 * device rules, as runc's {@code libcontainer/cgroups/devices/devicefilter.go} builds it. Cgroup v2
 * has no devices.allow; the kernel runs this program on every open and mknod of a device node and
 * allows the access when it returns 1.
 *
 * <p>The rules are first folded the way cgroup v1 folds them ({@link #fold}): a rule of type "a"
 * with no major and minor resets to allow-all or deny-all, every other rule adds access to (or, of
 * the opposite verdict, removes access from) the exception for its type, major and minor. The
 * program then tests the exceptions in turn and returns the default when none matches:
 *
 * <pre>
 *   r2 = ctx->access_type &amp; 0xffff   (BPF_DEVCG_DEV_BLOCK 1, BPF_DEVCG_DEV_CHAR 2)
 *   r3 = ctx->access_type &gt;&gt; 16       (BPF_DEVCG_ACC_MKNOD 1, READ 2, WRITE 4)
 *   r4 = ctx->major;  r5 = ctx->minor
 *   per exception: if type, access (requested within the exception's), major and minor match,
 *                  return the exception's verdict
 *   return the default
 * </pre>
 *
 * {@link #attachTo} loads it ({@code bpf(BPF_PROG_LOAD)}) and attaches it to a cgroup v2 directory
 * ({@code BPF_PROG_ATTACH}, {@code BPF_CGROUP_DEVICE}, multi); it is tested on the v2 hierarchy of
 * a hybrid v1 host, where the kernel runs it before the v1 device controller. The v2 cgroup
 * manager does not call it yet.
 */
public final class DeviceFilterProgram {
  public static final int DEV_BLOCK = 1;
  public static final int DEV_CHAR = 2;
  public static final int ACC_MKNOD = 1;
  public static final int ACC_READ = 2;
  public static final int ACC_WRITE = 4;
  private static final int ACC_ALL = ACC_MKNOD | ACC_READ | ACC_WRITE;

  // Opcodes (linux/bpf.h, linux/bpf_common.h).
  static final int LDX_MEM_W = 0x61;
  static final int ALU32_AND_K = 0x54;
  static final int ALU32_RSH_K = 0x74;
  static final int ALU32_MOV_K = 0xb4;
  static final int ALU32_MOV_X = 0xbc;
  static final int JMP_JNE_K = 0x55;
  static final int JMP_JNE_X = 0x5d;
  static final int JMP_EXIT = 0x95;

  /** One eBPF instruction; {@code off} of a jump counts instructions after the next one. */
  public record Insn(int code, int dst, int src, int off, int imm) {
    @Override
    public String toString() {
      return String.format("code=0x%02x dst=r%d src=r%d off=%d imm=%d", code, dst, src, off, imm);
    }
  }

  /** An exception (the kernel's word) of the folded rule set: {@code major}/{@code minor} -1 for any. */
  public record Entry(int type, long major, long minor, int access) {}

  /** The folded rules: the verdict when no exception matches, and the exceptions (all of the other verdict). */
  public record Folded(boolean defaultAllow, List<Entry> exceptions) {}

  private final List<Insn> insns;

  private DeviceFilterProgram(List<Insn> insns) {
    this.insns = List.copyOf(insns);
  }

  public List<Insn> instructions() {
    return insns;
  }

  /** The program as the kernel takes it: 8 bytes per instruction, host (little-endian) order. */
  public byte[] bytes() {
    ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
    for (Insn i : insns) {
      b.put((byte) i.code()).put((byte) ((i.src() << 4) | i.dst())).putShort((short) i.off()).putInt(i.imm());
    }
    return b.array();
  }

  /**
   * Loads the program and attaches it to the cgroup v2 directory {@code cgroupDir}; it stays
   * attached (the cgroup holds it) until the cgroup is removed.
   */
  public void attachTo(Path cgroupDir, Syscalls syscalls) {
    try (OwnedFd cgroup = syscalls.open(cgroupDir.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        OwnedFd program = new OwnedFd(BpfCalls.loadCgroupDeviceProgram(bytes()), syscalls)) {
      BpfCalls.attachCgroupDeviceProgram(cgroup.get(), program.get(), cgroupDir.toString());
    }
  }

  /** Builds the program; IllegalArgumentException names a rule the kernel could not express. */
  public static DeviceFilterProgram of(List<DeviceRule> rules) {
    Folded folded = fold(rules);
    List<Insn> p = new ArrayList<>();
    p.add(new Insn(LDX_MEM_W, 2, 1, 0, 0));
    p.add(new Insn(ALU32_AND_K, 2, 0, 0, 0xffff));
    p.add(new Insn(LDX_MEM_W, 3, 1, 0, 0));
    p.add(new Insn(ALU32_RSH_K, 3, 0, 0, 16));
    p.add(new Insn(LDX_MEM_W, 4, 1, 4, 0));
    p.add(new Insn(LDX_MEM_W, 5, 1, 8, 0));
    int verdict = folded.defaultAllow() ? 0 : 1;
    for (Entry e : folded.exceptions()) {
      List<Insn> block = new ArrayList<>();
      List<Integer> jumps = new ArrayList<>(); // indexes in block of jumps to the next block
      if (e.type() != 0) {
        jumps.add(block.size());
        block.add(new Insn(JMP_JNE_K, 2, 0, 0, e.type()));
      }
      if (e.access() != ACC_ALL) {
        // Requested access within the exception's: (r3 & access) == r3, with r1 as scratch.
        block.add(new Insn(ALU32_MOV_X, 1, 3, 0, 0));
        block.add(new Insn(ALU32_AND_K, 1, 0, 0, e.access()));
        jumps.add(block.size());
        block.add(new Insn(JMP_JNE_X, 1, 3, 0, 0));
      }
      if (e.major() >= 0) {
        jumps.add(block.size());
        block.add(new Insn(JMP_JNE_K, 4, 0, 0, (int) e.major()));
      }
      if (e.minor() >= 0) {
        jumps.add(block.size());
        block.add(new Insn(JMP_JNE_K, 5, 0, 0, (int) e.minor()));
      }
      block.add(new Insn(ALU32_MOV_K, 0, 0, 0, verdict));
      block.add(new Insn(JMP_EXIT, 0, 0, 0, 0));
      for (int j : jumps) {
        Insn jump = block.get(j);
        block.set(j, new Insn(jump.code(), jump.dst(), jump.src(), block.size() - j - 1, jump.imm()));
      }
      p.addAll(block);
    }
    p.add(new Insn(ALU32_MOV_K, 0, 0, 0, folded.defaultAllow() ? 1 : 0));
    p.add(new Insn(JMP_EXIT, 0, 0, 0, 0));
    if (p.size() > 4096) {
      throw new IllegalArgumentException("linux.resources.devices: " + rules.size()
          + " rules make a device program of " + p.size() + " instructions, over the kernel's 4096");
    }
    return new DeviceFilterProgram(p);
  }

  /**
   * Folds the rules as cgroup v1's devices.allow and devices.deny would: starts allowing everything
   * (a new v1 cgroup's state), a wildcard "a" rule resets, a rule of the default's verdict removes
   * the access it names from the exceptions it covers.
   */
  public static Folded fold(List<DeviceRule> rules) {
    boolean defaultAllow = true;
    Map<List<Long>, Integer> exceptions = new LinkedHashMap<>();
    for (DeviceRule r : rules) {
      String type = r.type() == null || r.type().isEmpty() ? "a" : r.type();
      long major = r.major() == null || r.major() < 0 ? -1 : r.major();
      long minor = r.minor() == null || r.minor() < 0 ? -1 : r.minor();
      int access = access(r.access());
      if (type.equals("a") && major < 0 && minor < 0) {
        if (access != ACC_ALL) {
          throw new IllegalArgumentException("linux.resources.devices: type a with access " + r.access()
              + ": only rwm can reset the device rules");
        }
        defaultAllow = r.allow();
        exceptions.clear();
        continue;
      }
      int bpfType = switch (type) {
        case "c" -> DEV_CHAR;
        case "b" -> DEV_BLOCK;
        case "a" -> 0;
        default -> throw new IllegalArgumentException("linux.resources.devices: type " + type + " is not a, c or b");
      };
      if (major > Integer.MAX_VALUE || minor > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("linux.resources.devices: " + major + ":" + minor + " out of range");
      }
      List<Long> key = List.of((long) bpfType, major, minor);
      if (r.allow() != defaultAllow) {
        exceptions.merge(key, access, (a, b) -> a | b);
      } else {
        // Take the access away from every exception this rule covers.
        for (var it = exceptions.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          List<Long> k = e.getKey();
          boolean covered = (bpfType == 0 || k.get(0) == bpfType) && (major < 0 || k.get(1) == major)
              && (minor < 0 || k.get(2) == minor);
          if (covered) {
            int left = e.getValue() & ~access;
            if (left == 0) {
              it.remove();
            } else {
              e.setValue(left);
            }
          }
        }
      }
    }
    List<Entry> out = new ArrayList<>();
    exceptions.forEach((k, a) -> out.add(new Entry(k.get(0).intValue(), k.get(1), k.get(2), a)));
    return new Folded(defaultAllow, out);
  }

  private static int access(String access) {
    String a = access == null || access.isEmpty() ? "rwm" : access;
    int bits = 0;
    for (char c : a.toCharArray()) {
      bits |= switch (c) {
        case 'r' -> ACC_READ;
        case 'w' -> ACC_WRITE;
        case 'm' -> ACC_MKNOD;
        default -> throw new IllegalArgumentException("linux.resources.devices: access " + access + " is not a combination of r, w, m");
      };
    }
    return bits;
  }
}
