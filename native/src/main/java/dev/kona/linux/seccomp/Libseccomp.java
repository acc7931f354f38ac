package dev.kona.linux.seccomp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls into libseccomp 2 (Debian's libseccomp2). Its functions return {@code -errno}
 * instead of setting errno, so no call state is captured. Loaded on first use; a host without
 * the library fails then with UnsatisfiedLinkError.
 */
final class Libseccomp {
  private static final Linker LINKER = Linker.nativeLinker();
  // The library stays loaded for the life of the JVM, like libc.
  private static final SymbolLookup LIB = SymbolLookup.libraryLookup("libseccomp.so.2", Arena.global());

  /** scmp_filter_ctx seccomp_init(uint32_t def_action) */
  static final MethodHandle INIT = handle("seccomp_init", FunctionDescriptor.of(ADDRESS, JAVA_INT));
  /** void seccomp_release(scmp_filter_ctx ctx) */
  static final MethodHandle RELEASE = handle("seccomp_release", FunctionDescriptor.ofVoid(ADDRESS));
  /** int seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token) */
  static final MethodHandle ARCH_ADD = handle("seccomp_arch_add",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  /** uint32_t seccomp_arch_resolve_name(const char *arch_name) */
  static final MethodHandle ARCH_RESOLVE = handle("seccomp_arch_resolve_name",
      FunctionDescriptor.of(JAVA_INT, ADDRESS));
  /** int seccomp_syscall_resolve_name(const char *name) */
  static final MethodHandle SYSCALL_RESOLVE = handle("seccomp_syscall_resolve_name",
      FunctionDescriptor.of(JAVA_INT, ADDRESS));
  /** int seccomp_rule_add_array(ctx, uint32_t action, int syscall, unsigned int arg_cnt, const struct scmp_arg_cmp *) */
  static final MethodHandle RULE_ADD_ARRAY = handle("seccomp_rule_add_array",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  /** int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value) */
  static final MethodHandle ATTR_SET = handle("seccomp_attr_set",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  /** int seccomp_export_bpf(const scmp_filter_ctx ctx, int fd) */
  static final MethodHandle EXPORT_BPF = handle("seccomp_export_bpf",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

  // Actions (seccomp.h).
  static final int ACT_KILL_PROCESS = 0x80000000;
  static final int ACT_KILL_THREAD = 0x00000000;
  static final int ACT_TRAP = 0x00030000;
  static final int ACT_ERRNO = 0x00050000;
  static final int ACT_TRACE = 0x7ff00000;
  static final int ACT_LOG = 0x7ffc0000;
  static final int ACT_ALLOW = 0x7fff0000;

  /** __NR_SCMP_ERROR: a name libseccomp does not know on any architecture. */
  static final int NR_SCMP_ERROR = -1;
  /** SCMP_FLTATR_CTL_NNP: do not set no_new_privs at load (we only export). */
  static final int ATTR_CTL_NNP = 3;
  /** sizeof(struct scmp_arg_cmp): unsigned arg; enum op; uint64 datum_a, datum_b. */
  static final int ARG_CMP_SIZE = 24;

  private Libseccomp() {}

  private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
    MemorySegment address = LIB.find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("libseccomp has no symbol " + name));
    return LINKER.downcallHandle(address, descriptor);
  }
}
