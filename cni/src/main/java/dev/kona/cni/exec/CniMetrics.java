package dev.kona.cni.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * The meters of the cni module. Tags are bounded: plugin type, CNI command, operation, outcome —
 * never sandbox ids. In Prometheus form: {@code kona_cni_plugin_seconds}, {@code
 * kona_cni_plugin_errors_total}, {@code kona_cni_operation_seconds}.
 */
public final class CniMetrics {

  private final MeterRegistry registry;

  /** {@code registry} may be null: the meters then live in a private registry, read by {@link #registry()}. */
  public CniMetrics(MeterRegistry registry) {
    this.registry = registry != null ? registry : new SimpleMeterRegistry();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One plugin execution; {@code outcome} is ok, error, timeout or garbage. */
  public void pluginCall(String pluginType, CniCommand command, String outcome, Duration elapsed) {
    Timer.builder("kona.cni.plugin")
        .description("Time of one CNI plugin execution")
        .tag("plugin", pluginType)
        .tag("command", command.name())
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(elapsed);
    if (!outcome.equals("ok")) {
      Counter.builder("kona.cni.plugin.errors")
          .description("CNI plugin executions that failed, by plugin, command and outcome")
          .tag("plugin", pluginType)
          .tag("command", command.name())
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    }
  }

  /** One pod-level operation: setup, teardown, check, status or gc. */
  public void operation(String operation, boolean ok, Duration elapsed) {
    Timer.builder("kona.cni.operation")
        .description("Time of a pod network operation over the whole plugin chain")
        .tag("operation", operation)
        .tag("outcome", ok ? "ok" : "error")
        .publishPercentileHistogram()
        .register(registry)
        .record(elapsed);
  }
}
