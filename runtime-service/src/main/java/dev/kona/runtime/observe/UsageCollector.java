package dev.kona.runtime.observe;

import dev.kona.common.error.KonaException;
import dev.kona.engine.ContainerState;
import dev.kona.engine.ContainerStatus;
import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.linux.cgroup.Pressure;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads containers' and pods' usage: the cgroup only for containers that have live processes (as
 * of the watcher's last poll), the writable layer from the cache, the pod's interfaces inside its
 * netns. Shared by every stats and
 * metrics RPC so the CPU rate baselines are one per container.
 */
final class UsageCollector {

  private static final Logger LOG = LoggerFactory.getLogger(UsageCollector.class);
  /** Rates are taken over at least this long, however often the kubelet asks. */
  static final long CPU_WINDOW_NANOS = 1_000_000_000L;

  private final ContainerStates states;
  private final ContainerCgroups cgroups;
  private final WritableLayers layers;
  private final PodNetworkCounters network;
  private final CpuRate cpu = new CpuRate(CPU_WINDOW_NANOS);

  UsageCollector(ContainerStates states, ContainerCgroups cgroups, WritableLayers layers, PodNetworkCounters network) {
    this.states = states;
    this.cgroups = cgroups;
    this.layers = layers;
    this.network = network;
  }

  /** A container's usage; {@code full} reads every cgroup figure (for metrics), else only the stats' ones. */
  ContainerUsage container(ContainerRecord record, boolean full) {
    ContainerState state = states.of(record);
    long startedAt = state.startedAt() == null ? 0 : nanos(state.startedAt());
    long limit = record.spec().resources().memoryLimitBytes();
    var writable = layers.usage(record.id());
    if (state.status() != ContainerStatus.RUNNING && state.status() != ContainerStatus.CREATED) {
      cpu.forget(record.id());
      return new ContainerUsage(record, wallNanos(), null, -1, -1, limit, writable, startedAt);
    }
    CgroupStats stats;
    try {
      stats = full ? cgroups.stats(record) : cgroups.usage(record);
    } catch (KonaException e) {
      // The container is going away under us: report what is known rather than fail the list.
      LOG.debug("read cgroup of container {}: {}", record.id(), e.getMessage());
      return new ContainerUsage(record, wallNanos(), null, -1, -1, limit, writable, startedAt);
    }
    long now = System.nanoTime();
    long rate = cpu.update(record.id(), new CpuRate.Sample(stats.cpuUsageNanos(), now));
    return new ContainerUsage(record, wallNanos(), stats, rate,
        MemoryFigures.available(limit, stats.memoryWorkingSetBytes()), limit, writable, startedAt);
  }

  PodUsage pod(SandboxRecord sandbox, List<ContainerRecord> members, boolean full) {
    List<ContainerUsage> usages = new ArrayList<>();
    for (ContainerRecord r : members) {
      usages.add(container(r, full));
    }
    return new PodUsage(sandbox, wallNanos(), withPressure(sum(usages), podPressure(sandbox, members)),
        sumRates(usages), interfaces(sandbox), usages);
  }

  /** The pod cgroup's PSI (it cannot be summed from the containers'), or null. */
  private Pressure podPressure(SandboxRecord sandbox, List<ContainerRecord> members) {
    if (members.isEmpty()) {
      return null;
    }
    try {
      return cgroups.podPressure(sandbox, members.getFirst());
    } catch (KonaException e) {
      LOG.debug("read pressure of pod sandbox {}: {}", sandbox.id(), e.getMessage());
      return null;
    }
  }

  private static CgroupStats withPressure(CgroupStats s, Pressure p) {
    return new CgroupStats(s.cpuUsageNanos(), s.cpuUserNanos(), s.cpuSystemNanos(), s.cpuThrottledPeriods(),
        s.memoryUsageBytes(), s.memoryWorkingSetBytes(), s.memoryRssBytes(), s.memoryPageFaults(),
        s.memoryMajorPageFaults(), s.pidsCurrent(), s.oomEvents(), s.oomKills(), p);
  }

  /** Drops per-container state of containers that no longer exist. */
  void retainOnly(Set<String> ids) {
    cpu.retainOnly(ids);
    cgroups.retainOnly(ids);
    layers.retainOnly(ids);
  }

  private List<InterfaceCounters> interfaces(SandboxRecord sandbox) {
    if (sandbox.netns().isEmpty() || !Files.exists(Path.of(sandbox.netns()))) {
      return List.of();
    }
    try {
      return network.read(Path.of(sandbox.netns()));
    } catch (KonaException e) {
      LOG.debug("read interfaces of pod sandbox {}: {}", sandbox.id(), e.getMessage());
      return List.of();
    }
  }

  static CgroupStats sum(List<ContainerUsage> usages) {
    long[] t = new long[12];
    for (ContainerUsage u : usages) {
      CgroupStats s = u.cgroup();
      if (s == null) {
        continue;
      }
      long[] v = {s.cpuUsageNanos(), s.cpuUserNanos(), s.cpuSystemNanos(), s.cpuThrottledPeriods(),
          s.memoryUsageBytes(), s.memoryWorkingSetBytes(), s.memoryRssBytes(), s.memoryPageFaults(),
          s.memoryMajorPageFaults(), s.pidsCurrent(), s.oomEvents(), s.oomKills()};
      for (int i = 0; i < t.length; i++) {
        t[i] += v[i];
      }
    }
    return new CgroupStats(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11]);
  }

  static long sumRates(List<ContainerUsage> usages) {
    long total = -1;
    for (ContainerUsage u : usages) {
      if (u.nanoCores() >= 0) {
        total = Math.max(total, 0) + u.nanoCores();
      }
    }
    return total;
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static long wallNanos() {
    return nanos(Instant.now());
  }
}
