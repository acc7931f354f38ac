package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code linux.seccomp.syscalls[]}: one action for a set of syscall names, optionally per argument. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SeccompSyscall(
    List<String> names, String action, Integer errnoRet, List<SeccompArg> args) {

  public SeccompSyscall {
    names = Copies.list(names);
    args = Copies.list(args);
  }

  public static SeccompSyscall of(String action, List<String> names) {
    return new SeccompSyscall(names, action, null, List.of());
  }
}
