package dev.kona.linux.cgroup;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link CgroupLimits} into a v2 cgroup as runc's fs2 driver does, converting OCI (v1)
 * units: shares to {@code cpu.weight} (runc's quadratic formula), quota/period to {@code cpu.max},
 * memory+swap to {@code memory.swap.max} (written before {@code memory.max}), blkio weight to
 * {@code io.weight}. {@code unified} keys are written last, so they override the converted
 * values; they are all checked before anything is written, so a refused update changes nothing.
 *
 * <p>Not here: device rules (an eBPF program, {@link DeviceGate}). Not on v2 at all: swappiness
 * and disabling the OOM killer (v2 has no such files).
 */
final class V2LimitWriter {
  private static final Logger log = LoggerFactory.getLogger(V2LimitWriter.class);

  private final CgroupFs fs;

  V2LimitWriter(CgroupFs fs) {
    this.fs = fs;
  }

  void apply(Path dir, CgroupLimits l) {
    for (String key : l.unified().keySet()) {
      if (!fs.exists(dir.resolve(key))) {
        throw new InvalidArgumentException("unified: key \"" + key + "\" names no file in "
            + dir + " (unknown, or its controller is not enabled)");
      }
    }
    // A swap total of 0 is "not set", except beside an unlimited memory limit (both unlimited).
    boolean swapSet = l.memorySwap() != null && (l.memorySwap() != 0 || Long.valueOf(-1).equals(l.memoryLimit()));
    String swap = swapSet
        ? CpuConversions.swapMax(l.memoryLimit() == null ? -1 : l.memoryLimit(), l.memorySwap()) : null;
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
    if (swap != null) {
      Path file = dir.resolve("memory.swap.max");
      if (fs.exists(file)) {
        fs.write(file, swap);
      } else if (!swap.equals("max") && !swap.equals("0")) {
        // As runc: no swap accounting is fine for "no swap" and "unlimited", not for a limit.
        throw new FailedPreconditionException("memory_swap_limit_in_bytes: swap limit " + swap
            + " for " + dir + ", but the kernel has no memory.swap.max (swap accounting is off)");
      }
    }
    if (l.memoryLimit() != null) {
      fs.write(dir.resolve("memory.max"), CpuConversions.bytesOrMax(l.memoryLimit()));
    }
    if (l.memoryReservation() != null) {
      fs.write(dir.resolve("memory.low"), Long.toString(Math.max(0, l.memoryReservation())));
    }
    if (l.pidsLimit() != null) {
      fs.write(dir.resolve("pids.max"), l.pidsLimit() <= 0 ? "max" : Long.toString(l.pidsLimit()));
    }
    if (l.blkioWeight() != null && fs.exists(dir.resolve("io.weight"))) {
      fs.write(dir.resolve("io.weight"), "default " + CpuConversions.blkioToIoWeight(l.blkioWeight()));
    }
    hugetlb(dir, l.hugepageLimits());
    for (Map.Entry<String, String> e : l.unified().entrySet()) {
      fs.write(dir.resolve(e.getKey()), e.getValue());
    }
  }

  private void hugetlb(Path dir, Map<String, Long> limits) {
    limits.forEach((size, bytes) -> {
      Path file = dir.resolve("hugetlb." + size + ".max");
      if (fs.exists(file)) {
        fs.write(file, Long.toString(bytes));
        // Reservations too, as runc 1.1+ writes them, so a reservation cannot pass the limit.
        Path rsvd = dir.resolve("hugetlb." + size + ".rsvd.max");
        if (fs.exists(rsvd)) {
          fs.write(rsvd, Long.toString(bytes));
        }
      } else {
        log.debug("hugepage limit {} for {} ignored: no {}", size, dir, file.getFileName());
      }
    });
  }
}
