package dev.kona.server.streaming;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;

/**
 * A port-forward into a pod sandbox's network namespace. {@code ports} may be empty: SPDY clients
 * name the port per stream, WebSocket clients in the {@code ?port=} query; these ports are the
 * WebSocket fallback when the query has none.
 */
public record PortForwardSpec(String sandboxId, List<Integer> ports) implements StreamRequest {

  public PortForwardSpec {
    if (sandboxId == null || sandboxId.isBlank()) {
      throw new InvalidArgumentException("port forward: missing required pod_sandbox_id");
    }
    ports = ports == null ? List.of() : List.copyOf(ports);
    for (int port : ports) {
      if (port < 1 || port > 65535) {
        throw new InvalidArgumentException(
            "port forward " + sandboxId + ": port expected 1..65535, got " + port);
      }
    }
  }

  @Override
  public String route() {
    return "portforward";
  }
}
