package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link CgroupLimits} into a v2 cgroup, converting OCI (v1) units: shares to
 * {@code cpu.weight}, quota/period to {@code cpu.max}, memory+swap to {@code memory.swap.max}.
 * {@code unified} keys are written last, so they override the converted values.
 *
 * <p>Not enforced on v2: device rules (they need an eBPF program, not a file write), swappiness
 * and disabling the OOM killer (v2 has no such files).
 */
final class V2LimitWriter {
  private static final Logger log = LoggerFactory.getLogger(V2LimitWriter.class);

  private final CgroupFs fs;

  V2LimitWriter(CgroupFs fs) {
    this.fs = fs;
  }

  void apply(Path dir, CgroupLimits l) {
    if (l.cpuShares() != null && l.cpuShares() != 0) {
      fs.write(dir.resolve("cpu.weight"), Long.toString(CpuConversions.sharesToWeight(l.cpuShares())));
    }
    if (l.cpuQuota() != null || (l.cpuPeriod() != null && l.cpuPeriod() != 0)) {
      Long quota = l.cpuQuota();
      if (quota == null) {
        // Only the period changes: keep the current quota.
        String current = fs.read(dir.resolve("cpu.max")).trim().split(" ")[0];
        quota = current.equals("max") ? -1L : Long.parseLong(current);
      }
      fs.write(dir.resolve("cpu.max"), CpuConversions.cpuMax(quota, l.cpuPeriod()));
    }
    if (l.cpusetCpus() != null) {
      fs.write(dir.resolve("cpuset.cpus"), l.cpusetCpus());
    }
    if (l.cpusetMems() != null) {
      fs.write(dir.resolve("cpuset.mems"), l.cpusetMems());
    }
    if (l.memoryLimit() != null) {
      fs.write(dir.resolve("memory.max"), CpuConversions.bytesOrMax(l.memoryLimit()));
    }
    if (l.memoryReservation() != null) {
      fs.write(dir.resolve("memory.low"), Long.toString(Math.max(0, l.memoryReservation())));
    }
    if (l.memorySwap() != null) {
      Path swap = dir.resolve("memory.swap.max");
      if (fs.exists(swap)) {
        long limit = l.memoryLimit() == null ? -1 : l.memoryLimit();
        fs.write(swap, CpuConversions.swapMax(limit, l.memorySwap()));
      } else {
        log.debug("memory swap limit for {} ignored: no memory.swap.max", dir);
      }
    }
    if (l.pidsLimit() != null) {
      fs.write(dir.resolve("pids.max"), l.pidsLimit() <= 0 ? "max" : Long.toString(l.pidsLimit()));
    }
    if (l.blkioWeight() != null && fs.exists(dir.resolve("io.weight"))) {
      fs.write(dir.resolve("io.weight"), "default " + CpuConversions.blkioToIoWeight(l.blkioWeight()));
    }
    hugetlb(dir, l.hugepageLimits());
    for (Map.Entry<String, String> e : l.unified().entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!fs.exists(file)) {
        throw new InvalidArgumentException("unified: key \"" + e.getKey() + "\" names no file in "
            + dir + " (unknown, or its controller is not enabled)");
      }
      fs.write(file, e.getValue());
    }
  }

  private void hugetlb(Path dir, Map<String, Long> limits) {
    limits.forEach((size, bytes) -> {
      Path file = dir.resolve("hugetlb." + size + ".max");
      if (fs.exists(file)) {
        fs.write(file, Long.toString(bytes));
      } else {
        log.debug("hugepage limit {} for {} ignored: no {}", size, dir, file.getFileName());
      }
    });
  }
}
