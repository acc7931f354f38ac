package dev.kona.engine.plan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Writes a {@link LaunchPlan} in the helper's wire form: one record per line, a tag, then fields
 * {@code <length>:<bytes>} each after one space. Lengths make every byte legal inside a field.
 */
public final class PlanEncoder {
  private static final int MOUNT_ATTR_RDONLY = 0x1;
  private static final int MOUNT_ATTR_IDMAP = 0x100000;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

  private PlanEncoder() {}

  public static byte[] encode(LaunchPlan plan) {
    PlanEncoder e = new PlanEncoder();
    e.write(plan);
    return e.out.toByteArray();
  }

  private void write(LaunchPlan plan) {
    record("version", "1");
    for (NamespaceEntry ns : plan.namespaces()) {
      record("ns", ns.type(), ns.path() == null ? "" : ns.path().toString());
    }
    plan.cgroupProcs().forEach(p -> record("cgroup", p.toString()));
    if (plan.filesystem() != null) {
      writeFilesystem(plan.filesystem());
    }
    if (plan.hostname() != null) {
      record("hostname", plan.hostname());
    }
    new TreeMap<>(plan.sysctls()).forEach((k, v) -> record("sysctl", k, v));
    plan.rlimits().forEach(r -> record("rlimit", r.resource(), r.soft(), r.hard()));
    if (plan.oomScoreAdj() != null) {
      record("oom-score-adj", plan.oomScoreAdj());
    }
    writeSecurity(plan.security());
    writeIdentity(plan.identity());
    plan.process().args().forEach(a -> record("arg", a));
    plan.process().env().forEach(v -> record("env", v));
    record("cwd", plan.process().cwd());
    writeStdio(plan.stdio());
    if (plan.oomCounter() != null) {
      record("oom-file", plan.oomCounter().file().toString(), plan.oomCounter().key());
    }
    if (plan.builtinInit()) {
      record("init", 1);
    }
  }

  private void writeFilesystem(LaunchPlan.Filesystem fs) {
    record("rootfs", fs.rootfs().toString());
    record("rootfs-propagation", fs.rootPropagation());
    if (fs.readonlyRoot()) {
      record("readonly-root", 1);
    }
    if (fs.consoleOnHostBind()) {
      record("no-console", 1);
    }
    for (MountOp m : fs.mounts()) {
      if (m.recursiveReadOnly() || m.idmapped()) {
        // A seventh field: mount_setattr attributes. RDONLY: set on the mount and all below it;
        // IDMAP: the bind is an idmapped clone of its source, idmapped with the joined user namespace.
        record("mount", m.source(), m.target(), m.fstype(), m.flags(), m.propagation(), m.data(),
            (m.recursiveReadOnly() ? MOUNT_ATTR_RDONLY : 0) | (m.idmapped() ? MOUNT_ATTR_IDMAP : 0));
      } else {
        record("mount", m.source(), m.target(), m.fstype(), m.flags(), m.propagation(), m.data());
      }
    }
    for (DeviceNode d : fs.devices()) {
      record("device", d.path(), d.mode(), d.major(), d.minor(), d.uid(), d.gid());
    }
    fs.symlinks().forEach(s -> record("symlink", s.target(), s.link()));
    fs.maskedPaths().forEach(p -> record("masked", p));
    fs.readonlyPaths().forEach(p -> record("readonly", p));
  }

  private void writeSecurity(LaunchPlan.Security s) {
    CapabilitySets c = s.capabilities();
    record("caps", Long.toUnsignedString(c.bounding()), Long.toUnsignedString(c.effective()),
        Long.toUnsignedString(c.permitted()), Long.toUnsignedString(c.inheritable()),
        Long.toUnsignedString(c.ambient()));
    if (s.noNewPrivileges()) {
      record("no-new-privs", 1);
    }
    if (s.seccompBpf() != null) {
      record("seccomp", (Object) s.seccompBpf());
      record("seccomp-flags", s.seccompFlags());
    }
  }

  private void writeIdentity(LaunchPlan.Identity id) {
    record("user", id.uid(), id.gid());
    id.additionalGids().forEach(g -> record("group", g));
    if (id.umask() != null) {
      record("umask", id.umask());
    }
  }

  private void writeStdio(LaunchPlan.Stdio s) {
    if (s.tty()) {
      record("tty", 1);
    }
    if (s.stdin()) {
      record("stdin", 1);
    }
    if (s.stdinOnce()) {
      record("stdin-once", 1);
    }
    if (s.logPath() != null) {
      record("log", s.logPath().toString());
    }
    if (s.maxLogLine() > 0) {
      record("log-max-line", s.maxLogLine());
    }
    if (s.tty() && s.rows() > 0 && s.columns() > 0) {
      record("console-size", s.rows(), s.columns());
    }
  }

  private void record(String tag, Object... fields) {
    out.writeBytes(tag.getBytes(StandardCharsets.US_ASCII));
    for (Object f : fields) {
      byte[] bytes = f instanceof byte[] b ? b : String.valueOf(f).getBytes(StandardCharsets.UTF_8);
      out.write(' ');
      out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      out.write(':');
      out.writeBytes(bytes);
    }
    out.write('\n');
  }
}
