package dev.kona.runtime.cri;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.AttachRequest;
import dev.kona.cri.api.v1.AttachResponse;
import dev.kona.cri.api.v1.ExecRequest;
import dev.kona.cri.api.v1.ExecResponse;
import dev.kona.cri.api.v1.PortForwardRequest;
import dev.kona.cri.api.v1.PortForwardResponse;
import dev.kona.engine.ContainerStatus;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxState;
import dev.kona.runtime.sandbox.Sandboxes;
import dev.kona.runtime.stream.StreamUrls;

/**
 * Exec, Attach and PortForward: check the request against the container or sandbox, then hand out
 * a single-use URL on the streaming server, where the session itself happens.
 */
final class StreamingCalls {

  private final Containers containers;
  private final Sandboxes sandboxes;
  private final StreamUrls urls;

  StreamingCalls(Containers containers, Sandboxes sandboxes, StreamUrls urls) {
    this.containers = containers;
    this.sandboxes = sandboxes;
    this.urls = urls;
  }

  ExecResponse exec(ExecRequest request) {
    if (request.getCmdCount() == 0) {
      throw new InvalidArgumentException("cmd is required");
    }
    checkStdio(request.getStdin(), request.getStdout(), request.getStderr(), request.getTty());
    ContainerRecord c = running(request.getContainerId(), "exec in");
    return ExecResponse.newBuilder()
        .setUrl(urls.exec(c.id(), request.getCmdList(), request.getStdin(), request.getStdout(),
            request.getStderr(), request.getTty()))
        .build();
  }

  AttachResponse attach(AttachRequest request) {
    checkStdio(request.getStdin(), request.getStdout(), request.getStderr(), request.getTty());
    ContainerRecord c = running(request.getContainerId(), "attach to");
    return AttachResponse.newBuilder()
        .setUrl(urls.attach(c.id(), request.getStdin(), request.getStdout(), request.getStderr(), request.getTty()))
        .build();
  }

  PortForwardResponse portForward(PortForwardRequest request) {
    SandboxRecord s = sandboxes.get(request.getPodSandboxId());
    if (s.state() != SandboxState.READY) {
      throw new FailedPreconditionException("port-forward to pod sandbox " + s.id() + ": it is not ready");
    }
    return PortForwardResponse.newBuilder().setUrl(urls.portForward(s.id(), request.getPortList())).build();
  }

  private ContainerRecord running(String id, String verb) {
    ContainerRecord c = containers.get(id);
    if (containers.stateOf(c).status() != ContainerStatus.RUNNING) {
      throw new FailedPreconditionException(verb + " container " + c.id() + ": it is not running");
    }
    return c;
  }

  private static void checkStdio(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    if (!stdin && !stdout && !stderr) {
      throw new InvalidArgumentException("one of stdin, stdout and stderr must be true");
    }
    if (tty && stderr) {
      throw new InvalidArgumentException("tty and stderr cannot both be true: a terminal has one output stream");
    }
  }
}
