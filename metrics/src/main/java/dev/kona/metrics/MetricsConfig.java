package dev.kona.metrics;

/**
 * The {@code [metrics]} section of kona.toml.
 *
 * @param enabled serve the Prometheus endpoint at all
 * @param address host:port of the endpoint; 127.0.0.1 keeps it off the network by default
 */
public record MetricsConfig(boolean enabled, String address) {

  public static final int DEFAULT_PORT = 9469;

  public MetricsConfig {
    if (enabled) {
      HostPort.parse(address, "metrics.address");
    }
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(true, "127.0.0.1:" + DEFAULT_PORT);
  }
}
