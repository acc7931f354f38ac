package dev.kona.cni.result;

import dev.kona.cni.config.CniVersion;
import java.util.List;

/**
 * The domain view of an ADD result.
 *
 * @param cniVersion the version the plugin answered in
 * @param interfaces the interfaces created, host side included
 * @param ips the addresses assigned
 * @param dnsNameservers DNS servers the network suggests (may be empty)
 */
public record CniResult(
    CniVersion cniVersion, List<CniInterface> interfaces, List<IpConfig> ips, List<String> dnsNameservers) {

  public CniResult {
    interfaces = List.copyOf(interfaces);
    ips = List.copyOf(ips);
    dnsNameservers = List.copyOf(dnsNameservers);
  }
}
