/**
 * Kona's streaming server: the URLs that CRI Exec, Attach and PortForward return.
 *
 * <p>The gRPC side validates a request, turns it into an {@link
 * dev.kona.server.streaming.ExecSpec}, {@link dev.kona.server.streaming.AttachSpec} or {@link
 * dev.kona.server.streaming.PortForwardSpec} and calls {@link
 * dev.kona.server.streaming.StreamingServer#register}, which stores it under a single-use token and
 * returns the absolute URL. The client then connects; {@code StreamRouter} consumes the token and
 * upgrades the connection:
 *
 * <ul>
 *   <li>{@code spdy}: SPDY/3.1 sessions (Netty's codec) for remote command v1-v4 and
 *       portforward.k8s.io;
 *   <li>{@code websocket}: channel.k8s.io framing for remote command (up to v5) and port-forward,
 *       and the SPDY-in-WebSocket port-forward tunnel;
 *   <li>{@code command} and {@code portforward}: what a session does, independent of the wire;
 *   <li>{@code io}: back-pressure between Netty and the blocking streams of the {@link
 *       dev.kona.server.streaming.StreamingRuntime}.
 * </ul>
 */
package dev.kona.server.streaming;
