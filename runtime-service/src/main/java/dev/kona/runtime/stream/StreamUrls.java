package dev.kona.runtime.stream;

import java.util.List;

/**
 * Hands out the single-use URLs the kubelet proxies exec, attach and port-forward sessions to.
 * The daemon's streaming server implements it; the runtime has already checked the request.
 */
public interface StreamUrls {

  String exec(String containerId, List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty);

  String attach(String containerId, boolean stdin, boolean stdout, boolean stderr, boolean tty);

  String portForward(String sandboxId, List<Integer> ports);

  /** For a daemon without a streaming server: every call is FailedPrecondition. */
  StreamUrls NONE = new StreamUrls() {
    @Override
    public String exec(String containerId, List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
      throw unavailable();
    }

    @Override
    public String attach(String containerId, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
      throw unavailable();
    }

    @Override
    public String portForward(String sandboxId, List<Integer> ports) {
      throw unavailable();
    }

    private RuntimeException unavailable() {
      return new dev.kona.common.error.FailedPreconditionException("streaming is not enabled in this daemon");
    }
  };
}
