package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code linux.seccomp}: a libseccomp-style profile. Actions are {@code SCMP_ACT_*}, architectures
 * {@code SCMP_ARCH_*}, flags {@code SECCOMP_FILTER_FLAG_*}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Seccomp(
    String defaultAction,
    Integer defaultErrnoRet,
    List<String> architectures,
    List<String> flags,
    String listenerPath,
    String listenerMetadata,
    List<SeccompSyscall> syscalls) {

  public Seccomp {
    architectures = Copies.list(architectures);
    flags = Copies.list(flags);
    syscalls = Copies.list(syscalls);
  }

  public static Seccomp of(String defaultAction, List<String> architectures, List<SeccompSyscall> syscalls) {
    return new Seccomp(defaultAction, null, architectures, List.of(), null, null, syscalls);
  }
}
