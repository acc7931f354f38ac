package dev.kona.linux.seccomp;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.SeccompArg;
import dev.kona.oci.spec.SeccompSyscall;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles an OCI seccomp profile to a BPF program with libseccomp (FFM), exported through a
 * memfd. The daemon compiles; the helper only loads the bytes between fork and exec.
 *
 * <p>What is rejected (InvalidArgumentException naming the field): unknown actions, operators,
 * architectures or flags, a malformed syscall name, an argument index outside 0..5, NOTIFY and
 * listener paths (no seccomp agent support), and a rule libseccomp refuses. A well-formed syscall
 * name this libseccomp does not know is skipped, as runc and crun do, so profiles written for
 * newer kernels still load. Rules whose action equals the default are no-ops and are skipped.
 */
public final class SeccompProfileCompiler {
  private static final Logger log = LoggerFactory.getLogger(SeccompProfileCompiler.class);
  private static final Pattern SYSCALL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final int EPERM = 1;
  private static final int EEXIST = 17;
  private static final Map<String, Integer> OPS = Map.of(
      "SCMP_CMP_NE", 1, "SCMP_CMP_LT", 2, "SCMP_CMP_LE", 3, "SCMP_CMP_EQ", 4,
      "SCMP_CMP_GE", 5, "SCMP_CMP_GT", 6, "SCMP_CMP_MASKED_EQ", 7);
  private static final Map<String, Integer> FLAGS = Map.of(
      "SECCOMP_FILTER_FLAG_LOG", SeccompProgram.FLAG_LOG,
      "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SeccompProgram.FLAG_SPEC_ALLOW,
      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SeccompProgram.FLAG_WAIT_KILLABLE_RECV);

  private static final int CACHE_SIZE = 64;

  private final Syscalls sys;
  // libseccomp takes tens of ms for a multi-arch profile; pods mostly share a few profiles.
  private final Map<Seccomp, SeccompProgram> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Seccomp, SeccompProgram> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  public SeccompProfileCompiler(Syscalls sys) {
    this.sys = sys;
  }

  /** The program for {@code profile}, from a small LRU cache of earlier compilations. */
  public SeccompProgram compile(Seccomp profile) {
    synchronized (cache) {
      SeccompProgram cached = cache.get(profile);
      if (cached != null) {
        return cached;
      }
    }
    SeccompProgram program = compileUncached(profile);
    synchronized (cache) {
      cache.put(profile, program);
    }
    return program;
  }

  /** Compiles without the cache. */
  public SeccompProgram compileUncached(Seccomp profile) {
    if (profile.listenerPath() != null && !profile.listenerPath().isEmpty()) {
      throw new InvalidArgumentException("seccomp listenerPath: seccomp agents are not supported, got "
          + profile.listenerPath());
    }
    int defaultAction = action("defaultAction", profile.defaultAction(), profile.defaultErrnoRet());
    int flags = 0;
    for (String flag : profile.flags()) {
      Integer bit = FLAGS.get(flag);
      if (bit == null) {
        throw new InvalidArgumentException("seccomp flags: unknown flag " + flag);
      }
      flags |= bit;
    }
    MemorySegment ctx = call(() -> (MemorySegment) Libseccomp.INIT.invokeExact(defaultAction));
    if (ctx.equals(MemorySegment.NULL)) {
      throw new InvalidArgumentException("seccomp defaultAction: libseccomp refused " + profile.defaultAction());
    }
    try {
      int rc = call(() -> (int) Libseccomp.ATTR_SET.invokeExact(ctx, Libseccomp.ATTR_CTL_NNP, 0));
      check(rc, "seccomp: set attribute NNP");
      for (String arch : profile.architectures()) {
        addArch(ctx, arch);
      }
      for (int i = 0; i < profile.syscalls().size(); i++) {
        addRule(ctx, i, profile.syscalls().get(i), defaultAction);
      }
      return new SeccompProgram(export(ctx), flags);
    } finally {
      call(() -> {
        Libseccomp.RELEASE.invokeExact(ctx);
        return 0;
      });
    }
  }

  static int action(String field, String name, Integer errnoRet) {
    if (name == null) {
      throw new InvalidArgumentException("seccomp " + field + ": missing");
    }
    int ret = errnoRet == null ? EPERM : errnoRet;
    if (ret < 0 || ret > 0xffff) {
      throw new InvalidArgumentException("seccomp " + field + ": errnoRet out of range, got " + ret);
    }
    return switch (name) {
      case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> Libseccomp.ACT_KILL_THREAD;
      case "SCMP_ACT_KILL_PROCESS" -> Libseccomp.ACT_KILL_PROCESS;
      case "SCMP_ACT_TRAP" -> Libseccomp.ACT_TRAP;
      case "SCMP_ACT_ERRNO" -> Libseccomp.ACT_ERRNO | ret;
      case "SCMP_ACT_TRACE" -> Libseccomp.ACT_TRACE | ret;
      case "SCMP_ACT_ALLOW" -> Libseccomp.ACT_ALLOW;
      case "SCMP_ACT_LOG" -> Libseccomp.ACT_LOG;
      case "SCMP_ACT_NOTIFY" -> throw new InvalidArgumentException(
          "seccomp " + field + ": SCMP_ACT_NOTIFY needs a seccomp agent, which is not supported");
      default -> throw new InvalidArgumentException("seccomp " + field + ": unknown action " + name);
    };
  }

  private void addArch(MemorySegment ctx, String arch) {
    String name = arch.startsWith("SCMP_ARCH_") ? arch.substring(10).toLowerCase(Locale.ROOT) : "";
    int token;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment cName = a.allocateFrom(name);
      token = call(() -> (int) Libseccomp.ARCH_RESOLVE.invokeExact(cName));
    }
    if (token == 0) {
      throw new InvalidArgumentException("seccomp architectures: unknown architecture " + arch);
    }
    int rc = call(() -> (int) Libseccomp.ARCH_ADD.invokeExact(ctx, token));
    if (rc != 0 && rc != -EEXIST) {
      throw new InvalidArgumentException("seccomp architectures: libseccomp refused " + arch
          + " (errno " + -rc + ")");
    }
  }

  private void addRule(MemorySegment ctx, int index, SeccompSyscall rule, int defaultAction) {
    String field = "syscalls[" + index + "]";
    int action = action(field + ".action", rule.action(), rule.errnoRet());
    for (SeccompArg arg : rule.args()) {
      if (arg.index() < 0 || arg.index() > 5) {
        throw new InvalidArgumentException("seccomp " + field + ".args: index must be 0..5, got " + arg.index());
      }
      if (!OPS.containsKey(arg.op())) {
        throw new InvalidArgumentException("seccomp " + field + ".args: unknown operator " + arg.op());
      }
    }
    if (rule.names().isEmpty()) {
      throw new InvalidArgumentException("seccomp " + field + ".names: empty");
    }
    for (String name : rule.names()) {
      if (name == null || !SYSCALL_NAME.matcher(name).matches()) {
        throw new InvalidArgumentException("seccomp " + field + ".names: malformed syscall name \"" + name + "\"");
      }
    }
    if (action == defaultAction) {
      return;
    }
    // libseccomp cannot compare one argument twice in a rule; docker-style profiles mean OR there.
    boolean sameIndex = rule.args().size() > 1
        && rule.args().stream().allMatch(a -> a.index() == rule.args().getFirst().index());
    List<List<SeccompArg>> groups = sameIndex
        ? rule.args().stream().map(List::of).toList()
        : List.of(rule.args());
    for (String name : rule.names()) {
      int nr = resolve(name);
      if (nr == Libseccomp.NR_SCMP_ERROR) {
        log.debug("seccomp {}: syscall {} unknown to libseccomp, skipped", field, name);
        continue;
      }
      for (List<SeccompArg> args : groups) {
        int rc = addArray(ctx, action, nr, args);
        if (rc < 0) {
          throw new InvalidArgumentException("seccomp " + field + ": libseccomp refused syscall "
              + name + " with action " + rule.action() + " (errno " + -rc + ")");
        }
      }
    }
  }

  private static int resolve(String name) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment cName = a.allocateFrom(name);
      return call(() -> (int) Libseccomp.SYSCALL_RESOLVE.invokeExact(cName));
    }
  }

  private static int addArray(MemorySegment ctx, int action, int nr, List<SeccompArg> args) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment cmp = args.isEmpty()
          ? MemorySegment.NULL
          : a.allocate((long) Libseccomp.ARG_CMP_SIZE * args.size(), 8);
      for (int i = 0; i < args.size(); i++) {
        SeccompArg arg = args.get(i);
        long base = (long) i * Libseccomp.ARG_CMP_SIZE;
        cmp.set(ValueLayout.JAVA_INT, base, arg.index());
        cmp.set(ValueLayout.JAVA_INT, base + 4, OPS.get(arg.op()));
        cmp.set(ValueLayout.JAVA_LONG, base + 8, arg.value());
        cmp.set(ValueLayout.JAVA_LONG, base + 16, arg.valueTwo());
      }
      int count = args.size();
      return call(() -> (int) Libseccomp.RULE_ADD_ARRAY.invokeExact(ctx, action, nr, count, cmp));
    }
  }

  private byte[] export(MemorySegment ctx) {
    try (OwnedFd memfd = sys.memfdCreate("kona-seccomp", 0)) {
      int fd = memfd.get();
      int rc = call(() -> (int) Libseccomp.EXPORT_BPF.invokeExact(ctx, fd));
      check(rc, "seccomp: export BPF");
      // A fresh open of the memfd starts at offset 0, wherever the export left ours.
      return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
    } catch (IOException e) {
      throw new InternalException("seccomp: read exported BPF: " + e.getMessage(), e);
    }
  }

  private static void check(int rc, String what) {
    if (rc < 0) {
      throw new FailedPreconditionException(what + ": libseccomp errno " + -rc);
    }
  }

  @FunctionalInterface
  private interface Downcall<T> {
    T invoke() throws Throwable;
  }

  private static <T> T call(Downcall<T> downcall) {
    try {
      return downcall.invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("libseccomp downcall failed", t);
    }
  }
}
