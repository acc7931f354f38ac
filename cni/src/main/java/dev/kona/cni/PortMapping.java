package dev.kona.cni;

import dev.kona.common.error.InvalidArgumentException;
import java.util.Locale;

/**
 * A pod port published on the host (the portmap plugin's {@code portMappings} entry).
 *
 * @param hostPort port on the host, 1-65535 (mappings with host port 0 are not passed to CNI)
 * @param containerPort port in the pod, 1-65535
 * @param protocol tcp, udp or sctp
 * @param hostIp the host address to bind, or null/empty for all
 */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIp) {

  public PortMapping {
    if (hostPort < 0 || hostPort > 65535) {
      throw new InvalidArgumentException("port mapping host_port must be in 0..65535, got " + hostPort);
    }
    if (containerPort < 1 || containerPort > 65535) {
      throw new InvalidArgumentException(
          "port mapping container_port must be in 1..65535, got " + containerPort);
    }
    protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
      throw new InvalidArgumentException(
          "port mapping protocol must be tcp, udp or sctp, got \"" + protocol + "\"");
    }
    hostIp = hostIp == null ? "" : hostIp;
  }
}
