package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code process}: what to run and with which identity, privileges and limits. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Process(
    boolean terminal,
    ConsoleSize consoleSize,
    @JsonInclude(JsonInclude.Include.ALWAYS) User user,
    List<String> args,
    List<String> env,
    @JsonInclude(JsonInclude.Include.ALWAYS) String cwd,
    Capabilities capabilities,
    List<Rlimit> rlimits,
    boolean noNewPrivileges,
    String apparmorProfile,
    Integer oomScoreAdj,
    String selinuxLabel) {

  public Process {
    args = Copies.list(args);
    env = Copies.list(env);
    rlimits = Copies.list(rlimits);
  }

  /** A process with the given user, argv, env and cwd and nothing else set. */
  public static Process of(User user, List<String> args, List<String> env, String cwd) {
    return new Process(false, null, user, args, env, cwd, null, null, false, null, null, null);
  }

  public Process withTerminal(boolean t) {
    return new Process(t, consoleSize, user, args, env, cwd, capabilities, rlimits, noNewPrivileges,
        apparmorProfile, oomScoreAdj, selinuxLabel);
  }

  public Process withCapabilities(Capabilities c) {
    return new Process(terminal, consoleSize, user, args, env, cwd, c, rlimits, noNewPrivileges,
        apparmorProfile, oomScoreAdj, selinuxLabel);
  }

  public Process withRlimits(List<Rlimit> r) {
    return new Process(terminal, consoleSize, user, args, env, cwd, capabilities, r, noNewPrivileges,
        apparmorProfile, oomScoreAdj, selinuxLabel);
  }

  public Process withNoNewPrivileges(boolean n) {
    return new Process(terminal, consoleSize, user, args, env, cwd, capabilities, rlimits, n,
        apparmorProfile, oomScoreAdj, selinuxLabel);
  }

  public Process withOomScoreAdj(Integer o) {
    return new Process(terminal, consoleSize, user, args, env, cwd, capabilities, rlimits,
        noNewPrivileges, apparmorProfile, o, selinuxLabel);
  }
}
