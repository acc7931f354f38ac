package dev.kona.server.streaming;

/**
 * A validated Exec, Attach or PortForward request waiting in the {@link RequestCache} for its
 * client to connect. {@link #route()} is the URL path segment that serves it.
 */
public sealed interface StreamRequest permits ExecSpec, AttachSpec, PortForwardSpec {

  String route();
}
