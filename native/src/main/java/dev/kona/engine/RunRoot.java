package dev.kona.engine;

import dev.kona.common.error.InternalException;
import dev.kona.common.fs.DirectoryTree;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The native engine's directory tree, which outlives the daemon: {@code containers/<id>/} per
 * container (plan, bundle, status written by its monitor, ctl.sock), {@code exec/<exec-id>/} per
 * exec, {@code bin/} for the installed helper. Its length is free: a control socket path longer
 * than sun_path's 108 bytes is reached through /proc/self/fd (see MonitorClient).
 */
public record RunRoot(Path root) {

  public RunRoot {
    if (root == null || !root.isAbsolute()) {
      throw new IllegalArgumentException("run root: expected an absolute path, got " + root);
    }
  }

  public Path containers() {
    return root.resolve("containers");
  }

  public Path container(ContainerId id) {
    return containers().resolve(id.value());
  }

  public Path execs() {
    return root.resolve("exec");
  }

  public Path bin() {
    return root.resolve("bin");
  }

  /** Removes a state directory and everything in it; a missing one is fine, a mount under it is not. */
  static void deleteTree(Path dir) {
    try {
      DirectoryTree.delete(dir);
    } catch (IOException e) {
      throw new InternalException("remove state directory " + dir, e);
    }
  }
}
