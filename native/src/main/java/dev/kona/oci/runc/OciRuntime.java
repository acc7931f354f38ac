package dev.kona.oci.runc;

import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
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

  /**
   * crun for this host. crun 1.8 (Debian 12) refuses to start on a hybrid cgroup host whose
   * cgroup2 mount holds a controller (e.g. hugetlb when no v1 hierarchy mounts it), even with
   * cgroups disabled; there this returns a wrapper, written into {@code scratch}, that runs crun
   * in a mount namespace of its own (propagation as the host's) with that controller list hidden.
   * v1 cgroups work unchanged.
   */
  public static OciRuntime crunForHost(Path root, Path scratch) {
    return crunForHost(Path.of("/usr/bin/crun"), root, scratch);
  }

  /** As {@link #crunForHost(Path, Path)}, for a crun installed at {@code binary}. */
  public static OciRuntime crunForHost(Path binary, Path root, Path scratch) {
    Path controllers = Path.of("/sys/fs/cgroup/unified/cgroup.controllers");
    try {
      if (!Files.exists(controllers) || Files.readString(controllers).isBlank()) {
        return new OciRuntime("crun", binary, root, List.of());
      }
      Files.createDirectories(scratch);
      Path wrapper = scratch.resolve("crun-hybrid");
      // The namespace keeps the host's propagation (a container's Bidirectional mount must reach
      // the host, which a slave namespace would stop); only the cgroup2 mount turns private, so
      // that the bind over its controller list stays in here.
      Files.writeString(wrapper, """
          #!/bin/sh
          # Written by Kona: hide cgroup2 controllers from crun 1.8 on a hybrid host.
          exec unshare -m --propagation unchanged sh -c \
            'mount --make-private /sys/fs/cgroup/unified && mount --bind /dev/null /sys/fs/cgroup/unified/cgroup.controllers && exec "$0" "$@"' %s "$@"
          """.formatted(shellQuoted(binary.toString())));
      if (!wrapper.toFile().setExecutable(true, true)) {
        throw new InternalException("make " + wrapper + " executable: refused");
      }
      return new OciRuntime("crun", wrapper, root, List.of());
    } catch (IOException e) {
      throw new InternalException("prepare crun for this host: " + e.getMessage(), e);
    }
  }

  private static String shellQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
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
