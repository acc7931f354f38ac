package dev.kona.engine.plan;

import static dev.kona.linux.syscall.MountFlags.*;

import dev.kona.oci.spec.SpecMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OCI mounts to {@link MountOp}s: fstab options to flags, data and propagation; relative bind
 * sources against the bundle; a "cgroup" mount to a tmpfs holding one cgroup mount per hierarchy
 * (cgroup v1) or a cgroup2 mount (v2), read-only when asked, as runc does.
 */
final class MountTranslator {
  private static final Map<String, Long> SET = Map.ofEntries(
      Map.entry("ro", MS_RDONLY), Map.entry("nosuid", MS_NOSUID), Map.entry("nodev", MS_NODEV),
      Map.entry("noexec", MS_NOEXEC), Map.entry("sync", MS_SYNCHRONOUS), Map.entry("dirsync", MS_DIRSYNC),
      Map.entry("noatime", MS_NOATIME), Map.entry("nodiratime", MS_NODIRATIME),
      Map.entry("relatime", MS_RELATIME), Map.entry("strictatime", MS_STRICTATIME),
      Map.entry("nosymfollow", MS_NOSYMFOLLOW), Map.entry("bind", MS_BIND), Map.entry("rbind", MS_BIND | MS_REC));
  private static final Map<String, Long> CLEAR = Map.ofEntries(
      Map.entry("rw", MS_RDONLY), Map.entry("suid", MS_NOSUID), Map.entry("dev", MS_NODEV),
      Map.entry("exec", MS_NOEXEC), Map.entry("async", MS_SYNCHRONOUS), Map.entry("atime", MS_NOATIME),
      Map.entry("diratime", MS_NODIRATIME), Map.entry("norelatime", MS_RELATIME),
      Map.entry("symfollow", MS_NOSYMFOLLOW));
  private static final Map<String, Long> PROPAGATION = Map.of(
      "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC, "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
      "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC, "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

  private MountTranslator() {}

  static List<MountOp> translate(List<SpecMount> mounts, Path bundle, List<String> cgroupHierarchies) {
    List<MountOp> ops = new ArrayList<>();
    for (SpecMount m : mounts) {
      if (m.destination() == null || !m.destination().startsWith("/") || m.destination().contains("/../")
          || m.destination().endsWith("/..")) {
        throw new IllegalArgumentException("mount destination: expected an absolute path without '..', got " + m.destination());
      }
      long flags = 0;
      long propagation = 0;
      boolean recursiveReadOnly = false;
      List<String> data = new ArrayList<>();
      for (String option : m.options()) {
        if (option.equals("rro")) {
          recursiveReadOnly = true;
        } else if (option.equals("rrw")) {
          recursiveReadOnly = false;
        } else if (SET.containsKey(option)) {
          flags |= SET.get(option);
        } else if (CLEAR.containsKey(option)) {
          flags &= ~CLEAR.get(option);
        } else if (PROPAGATION.containsKey(option)) {
          propagation = PROPAGATION.get(option);
        } else if (!option.isEmpty() && !option.equals("defaults")) {
          data.add(option);
        }
      }
      String type = m.type() == null ? "" : m.type();
      if (type.equals("bind")) {
        flags |= MS_BIND;
      }
      if (type.equals("cgroup")) {
        addCgroup(ops, m.destination(), flags, cgroupHierarchies);
        continue;
      }
      String source = m.source() == null ? type : m.source();
      if ((flags & MS_BIND) != 0 && !source.startsWith("/")) {
        source = bundle.resolve(source).toString();
      }
      if (recursiveReadOnly && (flags & MS_BIND) == 0) {
        throw new IllegalArgumentException("mount " + m.destination() + ": option rro applies to bind mounts only");
      }
      boolean idmapped = !m.uidMappings().isEmpty() || !m.gidMappings().isEmpty();
      if (idmapped && (flags & MS_BIND) == 0) {
        throw new IllegalArgumentException("mount " + m.destination() + ": uid and gid mappings apply to bind mounts only");
      }
      ops.add(new MountOp(source, m.destination(), (flags & MS_BIND) != 0 ? "" : type, flags, propagation,
          String.join(",", data), recursiveReadOnly, idmapped));
    }
    return ops;
  }

  private static void addCgroup(List<MountOp> ops, String dst, long flags, List<String> hierarchies) {
    long common = flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME);
    if (hierarchies.isEmpty()) {
      ops.add(new MountOp("cgroup2", dst, "cgroup2", flags, 0, ""));
      return;
    }
    ops.add(new MountOp("tmpfs", dst, "tmpfs", common, 0, "mode=755"));
    for (String controllers : hierarchies) {
      String dir = controllers.startsWith("name=") ? controllers.substring(5) : controllers;
      ops.add(new MountOp("cgroup", dst + "/" + dir, "cgroup", flags, 0, controllers));
    }
    if ((flags & MS_RDONLY) != 0) {
      ops.add(new MountOp("", dst, "", common | MS_REMOUNT | MS_RDONLY, 0, "mode=755"));
    }
  }
}
