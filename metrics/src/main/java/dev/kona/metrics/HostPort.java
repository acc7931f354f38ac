package dev.kona.metrics;

import dev.kona.common.error.InvalidArgumentException;

/** A listen address as written in the config: {@code host:port}, {@code [v6]:port}. */
public record HostPort(String host, int port) {

  public HostPort {
    if (port < 0 || port > 65535) {
      throw new InvalidArgumentException("port must be 0..65535, got " + port);
    }
  }

  public static HostPort parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new InvalidArgumentException(field + ": expected host:port, got an empty value");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new InvalidArgumentException(field + ": expected host:port, got \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(field + ": port of \"" + text + "\" is not a number");
    }
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
