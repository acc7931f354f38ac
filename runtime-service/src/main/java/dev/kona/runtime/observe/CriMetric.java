package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.MetricDescriptor;
import dev.kona.cri.api.v1.MetricType;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The cAdvisor-named metrics Kona serves through ListPodSandboxMetrics, with the label keys the
 * kubelet re-exports on {@code /metrics/cadvisor}. Values are whole units, as the CRI's uint64
 * carries them (seconds for CPU time, as containerd sends them).
 */
enum CriMetric {
  CPU_USAGE_SECONDS("container_cpu_usage_seconds_total", "Cumulative CPU time consumed in seconds.",
      MetricType.COUNTER, c -> c.cgroup().cpuUsageNanos() / 1_000_000_000L),
  CPU_USER_SECONDS("container_cpu_user_seconds_total", "Cumulative user CPU time consumed in seconds.",
      MetricType.COUNTER, c -> c.cgroup().cpuUserNanos() / 1_000_000_000L),
  CPU_SYSTEM_SECONDS("container_cpu_system_seconds_total", "Cumulative system CPU time consumed in seconds.",
      MetricType.COUNTER, c -> c.cgroup().cpuSystemNanos() / 1_000_000_000L),
  CPU_THROTTLED_PERIODS("container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.",
      MetricType.COUNTER, c -> c.cgroup().cpuThrottledPeriods()),
  MEMORY_USAGE("container_memory_usage_bytes", "Current memory usage in bytes, including all memory regardless of when it was accessed.",
      MetricType.GAUGE, c -> c.cgroup().memoryUsageBytes()),
  MEMORY_WORKING_SET("container_memory_working_set_bytes", "Current working set in bytes.",
      MetricType.GAUGE, c -> c.cgroup().memoryWorkingSetBytes()),
  MEMORY_RSS("container_memory_rss", "Size of RSS in bytes.",
      MetricType.GAUGE, c -> c.cgroup().memoryRssBytes()),
  MEMORY_FAILCNT("container_memory_failcnt", "Number of memory usage hits limits.",
      MetricType.COUNTER, c -> c.cgroup().oomEvents()),
  OOM_EVENTS("container_oom_events_total", "Count of out of memory events observed for the container.",
      MetricType.COUNTER, c -> c.cgroup().oomKills()),
  PROCESSES("container_processes", "Number of processes running inside the container.",
      MetricType.GAUGE, c -> c.cgroup().pidsCurrent()),
  FS_USAGE("container_fs_usage_bytes", "Number of bytes that are consumed by the container on this filesystem.",
      MetricType.GAUGE, c -> c.writableLayer().bytes()),
  FS_INODES("container_fs_inodes_total", "Number of inodes used by the container's writable layer.",
      MetricType.GAUGE, c -> c.writableLayer().inodes()),
  SPEC_MEMORY_LIMIT("container_spec_memory_limit_bytes", "Memory limit for the container.",
      MetricType.GAUGE, ContainerUsage::memoryLimitBytes),
  START_TIME("container_start_time_seconds", "Start time of the container since unix epoch in seconds.",
      MetricType.GAUGE, c -> c.startedAtNanos() / 1_000_000_000L),
  LAST_SEEN("container_last_seen", "Last time a container was seen by the exporter.",
      MetricType.GAUGE, c -> c.timestampNanos() / 1_000_000_000L);

  static final List<String> BASE_LABELS = List.of("pod", "namespace", "container", "id", "image");
  static final List<String> NETWORK_LABELS = List.of("pod", "namespace", "container", "id", "image", "interface");

  /** Pod-level network metrics, per interface of the pod's namespace. */
  enum Network {
    RX_BYTES("container_network_receive_bytes_total", "Cumulative count of bytes received.", InterfaceCounters::rxBytes),
    RX_PACKETS("container_network_receive_packets_total", "Cumulative count of packets received.", InterfaceCounters::rxPackets),
    RX_DROPPED("container_network_receive_packets_dropped_total", "Cumulative count of packets dropped while receiving.", InterfaceCounters::rxDropped),
    RX_ERRORS("container_network_receive_errors_total", "Cumulative count of errors encountered while receiving.", InterfaceCounters::rxErrors),
    TX_BYTES("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted.", InterfaceCounters::txBytes),
    TX_PACKETS("container_network_transmit_packets_total", "Cumulative count of packets transmitted.", InterfaceCounters::txPackets),
    TX_DROPPED("container_network_transmit_packets_dropped_total", "Cumulative count of packets dropped while transmitting.", InterfaceCounters::txDropped),
    TX_ERRORS("container_network_transmit_errors_total", "Cumulative count of errors encountered while transmitting.", InterfaceCounters::txErrors);

    final String metricName;
    final String help;
    final ToLongFunction<InterfaceCounters> value;

    Network(String metricName, String help, ToLongFunction<InterfaceCounters> value) {
      this.metricName = metricName;
      this.help = help;
      this.value = value;
    }

    MetricDescriptor descriptor() {
      return MetricDescriptor.newBuilder().setName(metricName).setHelp(help).addAllLabelKeys(NETWORK_LABELS).build();
    }
  }

  final String metricName;
  final String help;
  final MetricType type;
  /** Read only when the container has a cgroup reading, except the writable-layer, spec and time metrics. */
  final ToLongFunction<ContainerUsage> value;

  CriMetric(String metricName, String help, MetricType type, ToLongFunction<ContainerUsage> value) {
    this.metricName = metricName;
    this.help = help;
    this.type = type;
    this.value = value;
  }

  /** True for metrics read from the cgroup, absent for containers without live processes. */
  boolean needsCgroup() {
    return switch (this) {
      case FS_USAGE, FS_INODES, SPEC_MEMORY_LIMIT, START_TIME, LAST_SEEN -> false;
      default -> true;
    };
  }

  MetricDescriptor descriptor() {
    return MetricDescriptor.newBuilder().setName(metricName).setHelp(help).addAllLabelKeys(BASE_LABELS).build();
  }
}
