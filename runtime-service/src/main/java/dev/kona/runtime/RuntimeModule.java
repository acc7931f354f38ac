package dev.kona.runtime;

import dev.kona.runtime.cri.RuntimeServiceEndpoint;
import io.grpc.BindableService;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime service as the daemon assembles it. Open once at start-up, close at shutdown;
 * closing never stops containers (they outlive the daemon).
 */
public final class RuntimeModule implements AutoCloseable {

  private final RuntimeServiceEndpoint endpoint;

  private RuntimeModule(RuntimeServiceEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * @param verboseInfo what {@code Status(verbose=true)} reports in its info map (e.g. the effective
   *     config as JSON under "config")
   */
  public static RuntimeModule open(
      RuntimeInfo info,
      CgroupDriver cgroupDriver,
      NetworkReadiness network,
      Supplier<Map<String, String>> verboseInfo) {
    return new RuntimeModule(new RuntimeServiceEndpoint(info, cgroupDriver, network, verboseInfo));
  }

  public BindableService criService() {
    return endpoint;
  }

  @Override
  public void close() {}
}
