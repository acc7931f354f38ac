package dev.kona.cni.config;

import dev.kona.common.error.InvalidArgumentException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP subnet in CIDR form, e.g. {@code 10.244.0.0/16}; the address must be the network address.
 *
 * @param network the network address (host bits zero)
 * @param prefixLength the prefix length
 */
public record Subnet(InetAddress network, int prefixLength) {

  public Subnet {
    int bits = network.getAddress().length * 8;
    if (prefixLength < 1 || prefixLength > bits) {
      throw new InvalidArgumentException(
          "subnet prefix length must be in 1.." + bits + ", got " + prefixLength);
    }
    byte[] raw = network.getAddress();
    for (int bit = prefixLength; bit < bits; bit++) {
      if ((raw[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new InvalidArgumentException(
            "subnet " + network.getHostAddress() + "/" + prefixLength + " has host bits set");
      }
    }
  }

  /** Parses {@code address/prefix}; {@code field} names the setting in the error. */
  public static Subnet parse(String field, String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new InvalidArgumentException(field + " must be CIDR like 10.244.0.0/16, got \"" + text + "\"");
    }
    String address = text.substring(0, slash);
    if (!address.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
      throw new InvalidArgumentException(field + " must be an IP literal, got \"" + text + "\"");
    }
    try {
      return new Subnet(
          InetAddress.getByName(address), Integer.parseInt(text.substring(slash + 1)));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new InvalidArgumentException(field + " must be CIDR, got \"" + text + "\"", e);
    } catch (InvalidArgumentException e) {
      throw e.withContext(field);
    }
  }

  public boolean isIpv4() {
    return network instanceof Inet4Address;
  }

  /** The first host address, used as the bridge gateway. */
  public InetAddress firstHost() {
    byte[] raw = network.getAddress();
    raw[raw.length - 1] |= 1;
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
