package dev.kona.engine;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;

/**
 * An extra process in a running container. It runs with the container's user, environment,
 * working directory and security settings (capabilities, no_new_privs, seccomp); {@code env}
 * entries are added to the container's, replacing those of the same name. {@code tty} allocates a
 * terminal (stderr then folds into it).
 */
public record ExecRequest(List<String> args, List<String> env, boolean tty, boolean stdin) {

  public ExecRequest {
    if (args == null || args.isEmpty() || args.getFirst().isEmpty()) {
      throw new InvalidArgumentException("exec: args must name a program, got " + args);
    }
    args = List.copyOf(args);
    env = env == null ? List.of() : List.copyOf(env);
  }

  public static ExecRequest of(String... args) {
    return new ExecRequest(List.of(args), List.of(), false, false);
  }
}
