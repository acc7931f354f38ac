package dev.kona.server.streaming.command;

import java.util.List;

/**
 * The remote command subprotocol versions. v2 fixed v1's stream handling, v3 added the resize
 * stream, v4 made the error stream a JSON Status, v5 (WebSocket only) added the close signal.
 */
public enum CommandProtocol {
  V5("v5.channel.k8s.io"),
  V4("v4.channel.k8s.io"),
  V3("v3.channel.k8s.io"),
  V2("v2.channel.k8s.io"),
  V1("channel.k8s.io");

  /** What SPDY serves, in the order the X-Accepted-Stream-Protocol-Versions header lists them. */
  public static final List<CommandProtocol> SPDY = List.of(V4, V3, V2, V1);

  private final String wireName;

  CommandProtocol(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public boolean structuredStatus() {
    return compareTo(V4) <= 0;
  }

  public boolean resizeStream() {
    return compareTo(V3) <= 0;
  }

  public boolean closeSignal() {
    return this == V5;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
