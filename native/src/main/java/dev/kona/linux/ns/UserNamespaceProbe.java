package dev.kona.linux.ns;

import dev.kona.common.fs.DirectoryTree;
import dev.kona.linux.mount.Mount;
import dev.kona.linux.mount.Mounter;
import dev.kona.linux.syscall.IdmappedMounts;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this host can run pods in their own user namespace, tried for real once at start: a user
 * namespace made by the helper, a directory on the image store's filesystem idmapped with it, and
 * an overlay with that idmapped directory as its lower layer (what a container's rootfs is). An
 * idmapped tmpfs (Linux 6.3) is tried too and only reported, as emptyDir volumes in memory need it.
 */
public final class UserNamespaceProbe {
  private static final Logger LOG = LoggerFactory.getLogger(UserNamespaceProbe.class);
  private static final String MAP = "0 1879048192 65536\n"; // any unprivileged range will do

  /** @param overlay a user namespace with an idmapped overlay lower layer works (what pods need) */
  public record Result(boolean overlay, boolean tmpfs, String reason) {}

  private UserNamespaceProbe() {}

  /** @param scratch an absent directory on the filesystem of the image store; removed afterwards */
  public static Result probe(Syscalls sys, Path holder, Path scratch) {
    Mounter mounter = new Mounter(sys);
    List<Path> mounts = new ArrayList<>();
    Process p = null;
    try {
      if (Files.exists(scratch)) {
        DirectoryTree.delete(scratch); // left by a killed daemon; refuses to descend into a mount
      }
      p = new ProcessBuilder(holder.toString(), "unshare", Integer.toString(NamespaceType.USER.cloneFlag()))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      if (!"ready".equals(ready)) {
        return new Result(false, false, "the helper could not make a user namespace");
      }
      Path proc = Path.of("/proc", Long.toString(p.pid()));
      Files.writeString(proc.resolve("uid_map"), MAP);
      Files.writeString(proc.resolve("gid_map"), MAP);
      Files.createDirectories(scratch);
      try (OwnedFd userns = sys.open(proc.resolve("ns/user").toString(), OpenFlags.O_RDONLY, 0)) {
        for (String d : List.of("lower", "idmapped", "upper", "work", "merged", "tmpfs", "tmpfs-idmapped")) {
          Files.createDirectory(scratch.resolve(d));
        }
        IdmappedMounts.bind(sys, scratch.resolve("lower").toString(), userns.get(), scratch.resolve("idmapped").toString());
        mounts.add(scratch.resolve("idmapped"));
        mounter.mount(new Mount("overlay", "overlay", scratch.resolve("merged").toString(), List.of(
            "lowerdir=" + scratch.resolve("idmapped"), "upperdir=" + scratch.resolve("upper"),
            "workdir=" + scratch.resolve("work"))));
        mounts.add(scratch.resolve("merged"));
        boolean tmpfs = false;
        try {
          mounter.mount(Mount.tmpfs(scratch.resolve("tmpfs").toString(), "size=64k"));
          mounts.add(scratch.resolve("tmpfs"));
          IdmappedMounts.bind(sys, scratch.resolve("tmpfs").toString(), userns.get(),
              scratch.resolve("tmpfs-idmapped").toString());
          mounts.add(scratch.resolve("tmpfs-idmapped"));
          tmpfs = true;
        } catch (RuntimeException e) {
          LOG.info("idmapped tmpfs is not available (Linux 6.3 or later has it): {}", e.getMessage());
        }
        return new Result(true, tmpfs, "");
      }
    } catch (Exception e) {
      return new Result(false, false, e.getMessage());
    } finally {
      for (Path m : mounts.reversed()) {
        try {
          mounter.unmount(m.toString());
        } catch (RuntimeException e) {
          LOG.warn("user namespace probe: unmount {}: {}", m, e.getMessage());
        }
      }
      try {
        DirectoryTree.delete(scratch);
      } catch (Exception e) {
        LOG.warn("user namespace probe: remove {}: {}", scratch, e.getMessage());
      }
      if (p != null) {
        try {
          p.getOutputStream().close();
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (Exception e) {
          p.destroyForcibly();
        }
      }
    }
  }
}
