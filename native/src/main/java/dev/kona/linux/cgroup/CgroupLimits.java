package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.oci.spec.DeviceRule;
import dev.kona.oci.spec.HugepageLimit;
import dev.kona.oci.spec.Resources;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The limits Kona writes to a cgroup, in OCI units whatever the cgroup version: CPU shares
 * (2..262144) and quota/period in microseconds, memory and memory+swap in bytes (-1 unlimited),
 * pids (0 or less unlimited), hugetlb bytes per page size ("2MB"), raw v2 {@code unified} values.
 * Null means "leave as is", so the same record serves create and update.
 */
public record CgroupLimits(
    Long cpuShares,
    Long cpuQuota,
    Long cpuPeriod,
    String cpusetCpus,
    String cpusetMems,
    Long memoryLimit,
    Long memoryReservation,
    Long memorySwap,
    Long memorySwappiness,
    Boolean disableOomKiller,
    Long pidsLimit,
    Integer blkioWeight,
    Map<String, Long> hugepageLimits,
    List<DeviceRule> devices,
    Map<String, String> unified) {

  public static final CgroupLimits NONE =
      new CgroupLimits(null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null);

  public CgroupLimits {
    if (cpuShares != null && cpuShares != 0 && (cpuShares < 2 || cpuShares > 262144)) {
      throw new InvalidArgumentException("cpu shares: expected 2..262144, got " + cpuShares);
    }
    if (cpuPeriod != null && cpuPeriod != 0 && (cpuPeriod < 1000 || cpuPeriod > 1_000_000)) {
      throw new InvalidArgumentException("cpu period: expected 1000..1000000 us, got " + cpuPeriod);
    }
    if (cpuQuota != null && cpuQuota != -1 && cpuQuota != 0 && cpuQuota < 1000) {
      throw new InvalidArgumentException("cpu quota: expected -1 or >= 1000 us, got " + cpuQuota);
    }
    if (memoryLimit != null && memoryLimit != -1 && memoryLimit < 0) {
      throw new InvalidArgumentException("memory limit: expected -1 or >= 0, got " + memoryLimit);
    }
    if (memorySwap != null && memorySwap != -1 && memoryLimit != null && memoryLimit > 0
        && memorySwap < memoryLimit) {
      throw new InvalidArgumentException("memory swap: expected >= memory limit " + memoryLimit
          + " (it is memory+swap), got " + memorySwap);
    }
    if (memorySwappiness != null && (memorySwappiness < 0 || memorySwappiness > 100)) {
      throw new InvalidArgumentException("memory swappiness: expected 0..100, got " + memorySwappiness);
    }
    hugepageLimits = hugepageLimits == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(hugepageLimits));
    devices = devices == null ? List.of() : List.copyOf(devices);
    unified = unified == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(unified));
    for (String key : unified.keySet()) {
      if (key.isEmpty() || key.contains("/") || !key.contains(".")) {
        throw new InvalidArgumentException("unified: expected a cgroup file name, got key \"" + key + "\"");
      }
    }
  }

  /** These limits with {@code unified[key] = value} added, unless the map already has the key. */
  public CgroupLimits withUnifiedDefault(String key, String value) {
    if (unified.containsKey(key)) {
      return this;
    }
    Map<String, String> u = new LinkedHashMap<>(unified);
    u.put(key, value);
    return new CgroupLimits(cpuShares, cpuQuota, cpuPeriod, cpusetCpus, cpusetMems, memoryLimit,
        memoryReservation, memorySwap, memorySwappiness, disableOomKiller, pidsLimit, blkioWeight,
        hugepageLimits, devices, u);
  }

  /** Translates the OCI spec's {@code linux.resources} (null means no limits). */
  public static CgroupLimits fromSpec(Resources r) {
    if (r == null) {
      return NONE;
    }
    var cpu = r.cpu();
    var mem = r.memory();
    Map<String, Long> huge = new LinkedHashMap<>();
    for (HugepageLimit h : r.hugepageLimits()) {
      huge.put(h.pageSize(), h.limit());
    }
    return new CgroupLimits(
        cpu == null ? null : cpu.shares(),
        cpu == null ? null : cpu.quota(),
        cpu == null ? null : cpu.period(),
        cpu == null || cpu.cpus() == null || cpu.cpus().isEmpty() ? null : cpu.cpus(),
        cpu == null || cpu.mems() == null || cpu.mems().isEmpty() ? null : cpu.mems(),
        mem == null ? null : mem.limit(),
        mem == null ? null : mem.reservation(),
        mem == null ? null : mem.swap(),
        mem == null ? null : mem.swappiness(),
        mem == null ? null : mem.disableOomKiller(),
        r.pids() == null ? null : r.pids().limit(),
        r.blockIo() == null ? null : r.blockIo().weight(),
        huge,
        r.devices(),
        r.unified());
  }
}
