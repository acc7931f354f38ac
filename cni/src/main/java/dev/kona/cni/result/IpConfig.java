package dev.kona.cni.result;

import dev.kona.common.error.InvalidArgumentException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address an attachment assigned.
 *
 * @param address the IP
 * @param prefixLength its prefix length
 * @param gateway the subnet's gateway, or null
 * @param interfaceIndex index into the result's interfaces, or null (IPAM results have none)
 */
public record IpConfig(InetAddress address, int prefixLength, InetAddress gateway, Integer interfaceIndex) {

  public IpConfig {
    int bits = address.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new InvalidArgumentException(
          "ip prefix length must be in 0.." + bits + ", got " + prefixLength);
    }
  }

  /** Parses CIDR notation such as {@code 10.1.0.5/16}. */
  public static IpConfig parse(String cidr, String gateway, Integer interfaceIndex) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0) {
      throw new InvalidArgumentException("ips[].address must be CIDR, got \"" + cidr + "\"");
    }
    try {
      return new IpConfig(
          literal(cidr.substring(0, slash)),
          Integer.parseInt(cidr.substring(slash + 1)),
          gateway == null || gateway.isEmpty() ? null : literal(gateway),
          interfaceIndex);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("ips[].address must be CIDR, got \"" + cidr + "\"", e);
    }
  }

  private static InetAddress literal(String text) {
    if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      throw new InvalidArgumentException("expected an IP literal, got \"" + text + "\"");
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new InvalidArgumentException("expected an IP literal, got \"" + text + "\"", e);
    }
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLength;
  }
}
