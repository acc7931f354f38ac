package dev.kona.image.testing;

import dev.kona.image.snapshot.Mount;
import dev.kona.image.snapshot.RootfsPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Mounts a rootfs plan with {@code mount(8)} for tests (production code leaves mounting to the
 * runtime): relative options are mounted from the plan's mount directory.
 */
public final class OverlayMounts {

  private OverlayMounts() {}

  public static void mount(RootfsPlan plan, Path target) throws IOException, InterruptedException {
    Mount m = plan.mounts().getFirst();
    ProcessBuilder pb = new ProcessBuilder("mount", "-t", m.type(), m.source(), "-o", m.data(), target.toString());
    plan.mountDirectory().ifPresent(dir -> pb.directory(dir.toFile()));
    run(pb);
  }

  public static void umount(Path target) throws IOException, InterruptedException {
    run(new ProcessBuilder("umount", target.toString()));
  }

  /** Runs a command, returns its output; fails on a non-zero exit. */
  public static String run(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException(String.join(" ", pb.command()) + " exited " + rc + ": " + out);
    }
    return out;
  }
}
