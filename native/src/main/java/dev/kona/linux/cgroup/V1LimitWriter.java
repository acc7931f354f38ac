package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.oci.spec.DeviceRule;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes {@link CgroupLimits} into the v1 controller files of one cgroup. */
final class V1LimitWriter {
  private static final Logger log = LoggerFactory.getLogger(V1LimitWriter.class);

  private final CgroupLayout layout;
  private final CgroupFs fs;

  V1LimitWriter(CgroupLayout layout, CgroupFs fs) {
    this.layout = layout;
    this.fs = fs;
  }

  void apply(CgroupPath path, CgroupLimits l) {
    if (!l.unified().isEmpty()) {
      throw new InvalidArgumentException("unified: cgroup v2 keys " + l.unified().keySet()
          + " given, but this host runs cgroup v1");
    }
    cpuset(path, l);
    cpu(path, l);
    memory(path, l);
    if (l.pidsLimit() != null && layout.has("pids")) {
      write("pids", path, "pids.max", l.pidsLimit() <= 0 ? "max" : Long.toString(l.pidsLimit()));
    }
    if (l.blkioWeight() != null && layout.has("blkio")) {
      writeIfPresent("blkio", path, "blkio.weight", Integer.toString(l.blkioWeight()));
    }
    hugetlb(path, l.hugepageLimits());
    if (layout.has("devices")) {
      for (DeviceRule rule : l.devices()) {
        write("devices", path, rule.allow() ? "devices.allow" : "devices.deny", deviceLine(rule));
      }
    }
  }

  private void cpuset(CgroupPath path, CgroupLimits l) {
    if (l.cpusetCpus() != null) {
      write("cpuset", path, "cpuset.cpus", l.cpusetCpus());
    }
    if (l.cpusetMems() != null) {
      write("cpuset", path, "cpuset.mems", l.cpusetMems());
    }
  }

  private void cpu(CgroupPath path, CgroupLimits l) {
    if (l.cpuShares() != null && l.cpuShares() != 0) {
      write("cpu", path, "cpu.shares", Long.toString(l.cpuShares()));
    }
    if (l.cpuPeriod() != null && l.cpuPeriod() != 0) {
      write("cpu", path, "cpu.cfs_period_us", Long.toString(l.cpuPeriod()));
    }
    if (l.cpuQuota() != null) {
      write("cpu", path, "cpu.cfs_quota_us", l.cpuQuota() <= 0 ? "-1" : Long.toString(l.cpuQuota()));
    }
  }

  private void memory(CgroupPath path, CgroupLimits l) {
    if (!layout.has("memory")) {
      return;
    }
    String limit = l.memoryLimit() == null ? null
        : l.memoryLimit() <= 0 ? "-1" : Long.toString(l.memoryLimit());
    String swap = l.memorySwap() == null ? null : Long.toString(l.memorySwap());
    boolean hasMemsw = fs.exists(file("memory", path, "memory.memsw.limit_in_bytes"));
    if (swap != null && !hasMemsw) {
      log.debug("memory swap limit for {} ignored: swap accounting is off", path);
      swap = null;
    }
    if (swap == null) {
      if (limit != null) {
        write("memory", path, "memory.limit_in_bytes", limit);
      }
    } else if (limit == null) {
      write("memory", path, "memory.memsw.limit_in_bytes", swap);
    } else {
      // The kernel keeps memory <= memory+swap at every step: raising both must write memsw
      // first, lowering both must write the memory limit first.
      try {
        write("memory", path, "memory.limit_in_bytes", limit);
        write("memory", path, "memory.memsw.limit_in_bytes", swap);
      } catch (InvalidArgumentException first) {
        write("memory", path, "memory.memsw.limit_in_bytes", swap);
        write("memory", path, "memory.limit_in_bytes", limit);
      }
    }
    if (l.memoryReservation() != null) {
      write("memory", path, "memory.soft_limit_in_bytes",
          l.memoryReservation() <= 0 ? "-1" : Long.toString(l.memoryReservation()));
    }
    if (l.memorySwappiness() != null) {
      writeIfPresent("memory", path, "memory.swappiness", Long.toString(l.memorySwappiness()));
    }
    if (Boolean.TRUE.equals(l.disableOomKiller())) {
      write("memory", path, "memory.oom_control", "1");
    }
  }

  private void hugetlb(CgroupPath path, Map<String, Long> limits) {
    if (limits.isEmpty()) {
      return;
    }
    if (!layout.has("hugetlb")) {
      log.debug("hugepage limits for {} ignored: no hugetlb controller mounted", path);
      return;
    }
    limits.forEach((size, bytes) ->
        write("hugetlb", path, "hugetlb." + size + ".limit_in_bytes", Long.toString(bytes)));
  }

  static String deviceLine(DeviceRule rule) {
    String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
    if (type.equals("a") && rule.major() == null && rule.minor() == null) {
      return "a";
    }
    String major = rule.major() == null || rule.major() < 0 ? "*" : Long.toString(rule.major());
    String minor = rule.minor() == null || rule.minor() < 0 ? "*" : Long.toString(rule.minor());
    String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
    return type + " " + major + ":" + minor + " " + access;
  }

  private Path file(String controller, CgroupPath path, String name) {
    return layout.dir(controller, path).resolve(name);
  }

  private void write(String controller, CgroupPath path, String name, String value) {
    if (!layout.has(controller)) {
      log.debug("{} for {} ignored: no {} controller mounted", name, path, controller);
      return;
    }
    fs.write(file(controller, path, name), value);
  }

  private void writeIfPresent(String controller, CgroupPath path, String name, String value) {
    Path f = file(controller, path, name);
    if (fs.exists(f)) {
      fs.write(f, value);
    }
  }
}
