package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerAttributes;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CpuUsage;
import dev.kona.cri.api.v1.FilesystemIdentifier;
import dev.kona.cri.api.v1.FilesystemUsage;
import dev.kona.cri.api.v1.IoUsage;
import dev.kona.cri.api.v1.LinuxPodSandboxStats;
import dev.kona.cri.api.v1.MemoryUsage;
import dev.kona.cri.api.v1.NetworkInterfaceUsage;
import dev.kona.cri.api.v1.NetworkUsage;
import dev.kona.cri.api.v1.PodSandboxAttributes;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.ProcessUsage;
import dev.kona.cri.api.v1.PsiData;
import dev.kona.cri.api.v1.PsiStats;
import dev.kona.cri.api.v1.UInt64Value;
import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.linux.cgroup.Pressure;
import dev.kona.runtime.container.ContainerSpec;
import dev.kona.runtime.sandbox.SandboxSpec;
import java.util.Map;

/** Usage records to the CRI's stats messages, in one place. */
final class StatsProtos {

  private StatsProtos() {}

  static dev.kona.cri.api.v1.ContainerStats container(ContainerUsage u, String writableMountpoint) {
    ContainerSpec spec = u.container().spec();
    dev.kona.cri.api.v1.ContainerStats.Builder b = dev.kona.cri.api.v1.ContainerStats.newBuilder()
        .setAttributes(ContainerAttributes.newBuilder()
            .setId(u.container().id())
            .setMetadata(ContainerMetadata.newBuilder().setName(spec.name()).setAttempt(spec.attempt()))
            .putAllLabels(spec.labels())
            .putAllAnnotations(spec.annotations()))
        .setWritableLayer(FilesystemUsage.newBuilder()
            .setTimestamp(u.timestampNanos())
            .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(writableMountpoint))
            .setUsedBytes(u64(u.writableLayer().bytes()))
            .setInodesUsed(u64(u.writableLayer().inodes())));
    if (u.cgroup() != null) {
      b.setCpu(cpu(u.timestampNanos(), u.cgroup(), u.nanoCores()));
      b.setMemory(memory(u.timestampNanos(), u.cgroup(), u.availableBytes()));
      if (u.cgroup().pressure() != null) {
        b.setIo(io(u.timestampNanos(), u.cgroup().pressure()));
      }
    }
    return b.build();
  }

  static dev.kona.cri.api.v1.PodSandboxStats pod(PodUsage u, String writableMountpoint) {
    SandboxSpec spec = u.sandbox().spec();
    SandboxSpec.PodMetadata m = spec.metadata();
    long ts = u.timestampNanos();
    LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder()
        .setCpu(cpu(ts, u.total(), u.nanoCores()))
        .setMemory(memory(ts, u.total(), -1))
        .setProcess(ProcessUsage.newBuilder().setTimestamp(ts).setProcessCount(u64(u.total().pidsCurrent())));
    if (u.total().pressure() != null) {
      linux.setIo(io(ts, u.total().pressure()));
    }
    if (!u.interfaces().isEmpty()) {
      NetworkUsage.Builder net = NetworkUsage.newBuilder().setTimestamp(ts);
      InterfaceCounters primary = PodNetworkCounters.defaultInterface(u.interfaces());
      if (primary != null) {
        net.setDefaultInterface(networkInterface(primary));
      }
      u.interfaces().forEach(i -> net.addInterfaces(networkInterface(i)));
      linux.setNetwork(net);
    }
    u.containers().forEach(c -> linux.addContainers(container(c, writableMountpoint)));
    return dev.kona.cri.api.v1.PodSandboxStats.newBuilder()
        .setAttributes(PodSandboxAttributes.newBuilder()
            .setId(u.sandbox().id())
            .setMetadata(PodSandboxMetadata.newBuilder().setName(m.name()).setUid(m.uid())
                .setNamespace(m.namespace()).setAttempt(m.attempt()))
            .putAllLabels(spec.labels())
            .putAllAnnotations(spec.annotations()))
        .setLinux(linux)
        .build();
  }

  private static CpuUsage cpu(long ts, CgroupStats s, long nanoCores) {
    CpuUsage.Builder cpu = CpuUsage.newBuilder().setTimestamp(ts).setUsageCoreNanoSeconds(u64(s.cpuUsageNanos()));
    if (nanoCores >= 0) {
      cpu.setUsageNanoCores(u64(nanoCores));
    }
    if (s.pressure() != null && s.pressure().cpu() != null) {
      cpu.setPsi(psi(s.pressure().cpu()));
    }
    return cpu.build();
  }

  private static IoUsage io(long ts, Pressure p) {
    IoUsage.Builder io = IoUsage.newBuilder().setTimestamp(ts);
    if (p.io() != null) {
      io.setPsi(psi(p.io()));
    }
    return io.build();
  }

  /** A PSI file to the CRI message: totals in nanoseconds (the kernel's are microseconds), averages in percent. */
  static PsiStats psi(Pressure.Psi p) {
    PsiStats.Builder b = PsiStats.newBuilder();
    if (p.some() != null) {
      b.setSome(psiData(p.some()));
    }
    if (p.full() != null) {
      b.setFull(psiData(p.full()));
    }
    return b.build();
  }

  private static PsiData psiData(Pressure.Line l) {
    return PsiData.newBuilder().setTotal(l.totalMicros() * 1000).setAvg10(l.avg10()).setAvg60(l.avg60())
        .setAvg300(l.avg300()).build();
  }

  private static MemoryUsage memory(long ts, CgroupStats s, long available) {
    MemoryUsage.Builder mem = MemoryUsage.newBuilder()
        .setTimestamp(ts)
        .setWorkingSetBytes(u64(s.memoryWorkingSetBytes()))
        .setUsageBytes(u64(s.memoryUsageBytes()))
        .setRssBytes(u64(s.memoryRssBytes()))
        .setPageFaults(u64(s.memoryPageFaults()))
        .setMajorPageFaults(u64(s.memoryMajorPageFaults()));
    if (available >= 0) {
      mem.setAvailableBytes(u64(available));
    }
    if (s.pressure() != null && s.pressure().memory() != null) {
      mem.setPsi(psi(s.pressure().memory()));
    }
    return mem.build();
  }

  private static NetworkInterfaceUsage networkInterface(InterfaceCounters i) {
    return NetworkInterfaceUsage.newBuilder()
        .setName(i.name())
        .setRxBytes(u64(i.rxBytes()))
        .setRxErrors(u64(i.rxErrors()))
        .setTxBytes(u64(i.txBytes()))
        .setTxErrors(u64(i.txErrors()))
        .build();
  }

  static UInt64Value u64(long v) {
    return UInt64Value.newBuilder().setValue(v).build();
  }

  /** True when every selector label is present with the same value (the CRI's filter rule). */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
