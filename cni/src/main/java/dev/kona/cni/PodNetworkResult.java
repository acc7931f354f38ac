package dev.kona.cni;

import dev.kona.cni.result.CniInterface;
import dev.kona.cni.result.CniResult;
import dev.kona.cni.result.IpConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod's network as ADD left it.
 *
 * @param ips the pod's addresses, IPv4 before IPv6, each family in the plugin's order; the first is
 *     the primary (PodSandboxStatus network.ip), the rest go to additional_ips
 * @param interfaces every interface the attachment reported, host side included
 * @param dnsServers nameservers the network suggests
 */
public record PodNetworkResult(List<InetAddress> ips, List<CniInterface> interfaces, List<String> dnsServers) {

  public PodNetworkResult {
    ips = List.copyOf(ips);
    interfaces = List.copyOf(interfaces);
    dnsServers = List.copyOf(dnsServers);
  }

  /** The addresses that belong to the pod: on an interface inside the sandbox, or on none. */
  public static PodNetworkResult from(CniResult result) {
    List<InetAddress> v4 = new ArrayList<>();
    List<InetAddress> v6 = new ArrayList<>();
    for (IpConfig ip : result.ips()) {
      Integer index = ip.interfaceIndex();
      if (index == null || result.interfaces().get(index).inSandbox()) {
        (ip.isIpv4() ? v4 : v6).add(ip.address());
      }
    }
    v4.addAll(v6);
    return new PodNetworkResult(v4, result.interfaces(), result.dnsNameservers());
  }

  /** The primary IP as text, or empty if the network assigned none. */
  public String primaryIp() {
    return ips.isEmpty() ? "" : ips.getFirst().getHostAddress();
  }

  /** The other IPs as text (dual-stack). */
  public List<String> additionalIps() {
    return ips.stream().skip(1).map(InetAddress::getHostAddress).toList();
  }
}
