package dev.kona.runtime.spec;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.runtime.container.ContainerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The container's argv and environment, merged with its image's as Kubernetes defines it. */
public final class ProcessArgs {

  static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ProcessArgs() {}

  /**
   * command replaces ENTRYPOINT (and then CMD is dropped); args replace CMD. Nothing at all to run is
   * an InvalidArgument.
   */
  public static List<String> argv(ContainerSpec spec, ImageFacts image) {
    List<String> argv = new ArrayList<>();
    if (!spec.command().isEmpty()) {
      argv.addAll(spec.command());
      argv.addAll(spec.args());
    } else {
      argv.addAll(image.entrypoint());
      argv.addAll(spec.args().isEmpty() ? image.cmd() : spec.args());
    }
    if (argv.isEmpty() || argv.getFirst().isEmpty()) {
      throw new InvalidArgumentException(
          "create container " + spec.name() + ": no command: config.command, config.args and the image's entrypoint and cmd are all empty");
    }
    return argv;
  }

  /**
   * Image env first, the container's envs override by key; PATH defaults as in Docker; with a
   * terminal, TERM=xterm unless either sets TERM.
   */
  public static List<String> env(ContainerSpec spec, ImageFacts image, String hostname) {
    Map<String, String> merged = new LinkedHashMap<>();
    put(merged, DEFAULT_PATH);
    for (String kv : image.env()) {
      put(merged, kv);
    }
    if (hostname != null && !hostname.isEmpty()) {
      merged.putIfAbsent("HOSTNAME", hostname);
    }
    for (ContainerSpec.EnvVar e : spec.envs()) {
      merged.put(e.key(), e.value());
    }
    if (spec.tty()) {
      merged.putIfAbsent("TERM", "xterm"); // as containerd and CRI-O give a terminal container
    }
    List<String> env = new ArrayList<>();
    merged.forEach((k, v) -> env.add(k + "=" + v));
    return env;
  }

  private static void put(Map<String, String> env, String kv) {
    int eq = kv.indexOf('=');
    if (eq > 0) {
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
  }
}
