package dev.kona.server.streaming;

/**
 * What the streaming server needs from the container runtime; free of protobuf and of any wire
 * protocol. The server calls these on a virtual thread once the client's streams are set up, so
 * they may block.
 *
 * <p>Errors: throw the {@code dev.kona.common.error} family. For exec and attach the message
 * reaches the client as an InternalError status; for a dial it is written on that connection's
 * error stream (an unreachable port is an {@code UnavailableException}).
 *
 * <p>Back-pressure: the server reads a session's output streams only as fast as the client
 * drains them and stops reading the client while a write to stdin blocks, so implementations
 * should hand out the process's own pipes and sockets rather than buffer in memory.
 */
public interface StreamingRuntime {

  /** Starts {@code spec.command()} in the container; the returned session owns the process. */
  CommandSession exec(ExecSpec spec);

  /** Joins the container's own stdio; closing the session detaches and never stops it. */
  CommandSession attach(AttachSpec spec);

  /** Connects to TCP {@code port} on localhost inside the sandbox's network namespace. */
  PortConnection dial(String sandboxId, int port);
}
