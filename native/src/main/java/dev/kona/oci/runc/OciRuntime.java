package dev.kona.oci.runc;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI runtime command line (runc, crun): its short name, binary, the state directory it keeps
 * containers in ({@code --root}), and any further global options (e.g. {@code --systemd-cgroup}).
 */
public record OciRuntime(String name, Path binary, Path root, List<String> globalArgs) {

  public OciRuntime {
    if (name == null || name.isBlank()) {
      throw new InvalidArgumentException("oci runtime name: missing");
    }
    if (binary == null || !binary.isAbsolute()) {
      throw new InvalidArgumentException("oci runtime " + name + " binary: expected an absolute path, got " + binary);
    }
    if (root == null || !root.isAbsolute()) {
      throw new InvalidArgumentException("oci runtime " + name + " root: expected an absolute path, got " + root);
    }
    globalArgs = globalArgs == null ? List.of() : List.copyOf(globalArgs);
  }

  public static OciRuntime runc(Path root) {
    return new OciRuntime("runc", Path.of("/usr/sbin/runc"), root, List.of());
  }

  public static OciRuntime crun(Path root) {
    return new OciRuntime("crun", Path.of("/usr/bin/crun"), root, List.of());
  }

  /** The global options, which go before the subcommand. */
  List<String> globalOptions() {
    List<String> options = new ArrayList<>();
    options.add("--root=" + root);
    options.addAll(globalArgs);
    return options;
  }

  /** {@code binary --root=R [global] sub args...} */
  List<String> command(String subcommand, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(globalOptions());
    command.add(subcommand);
    command.addAll(List.of(args));
    return command;
  }
}
