package dev.kona.oci.runc;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.engine.ContainerEngine;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ContainerState;
import dev.kona.engine.CreateRequest;
import dev.kona.engine.ExecProcess;
import dev.kona.engine.ExecRequest;
import dev.kona.engine.ExitStatus;
import dev.kona.engine.StdioSession;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import dev.kona.oci.spec.SpecMount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * gVisor ({@code runsc}) under conmon, as CRI-O runs it. Each container is a gVisor sandbox of its
 * own, which joins the pod's namespaces (network, IPC, UTS) on the host side; with
 * {@code --network=host} (the handler's default) the sandboxes of one pod share the pod's network
 * namespace and its CNI interfaces through the host kernel's stack.
 *
 * <p>Not the pod model of containerd's shim (one sandbox per pod that later containers join by the
 * {@code io.kubernetes.cri.container-type}/{@code sandbox-id} annotations): a container that joins
 * another's sandbox is not conmon's child, so conmon cannot reap it and records exit code -1 at
 * once (seen with Debian's conmon 2.1.6 and runsc 2022-12-19). For the same reason those
 * annotations, and gVisor's own {@code dev.gvisor.*}, are refused in a container's config: they
 * would let one container steer runsc, e.g. into another pod's sandbox.
 *
 * <p>Also refused, with INVALID_ARGUMENT naming the CRI field: mount propagation other than
 * private, which gVisor's gofer cannot carry between host and sandbox.
 */
public final class RunscEngine implements ContainerEngine {

  static final List<String> RESERVED_ANNOTATIONS = List.of("io.kubernetes.cri.container-type",
      "io.kubernetes.cri.sandbox-id");
  static final String GVISOR_ANNOTATIONS = "dev.gvisor.";

  private final OciRuntime runtime;
  private final OciRuntimeEngine containers;

  /** @param stateRoot Kona's per-container dirs, as for {@link OciRuntimeEngine} */
  public RunscEngine(OciRuntime runtime, Path stateRoot, Syscalls sys, Path conmon) {
    this.runtime = runtime;
    this.containers = new OciRuntimeEngine(runtime, stateRoot, sys, conmon);
  }

  @Override
  public String name() {
    return "runsc";
  }

  @Override
  public ContainerState create(CreateRequest request) {
    refuseUnsupported(request.id(), SpecJson.read(request.bundle()));
    return containers.create(request);
  }

  /** What gVisor cannot honour, or must not be told by a container, is refused before anything is made. */
  static void refuseUnsupported(ContainerId id, Spec spec) {
    for (String key : spec.annotations().keySet()) {
      if (RESERVED_ANNOTATIONS.contains(key) || key.startsWith(GVISOR_ANNOTATIONS)) {
        throw new InvalidArgumentException("create container " + id + ": config.annotations: \"" + key
            + "\" is reserved for the runtime on the gVisor (runsc) handler");
      }
    }
    for (SpecMount m : spec.mounts()) {
      for (String option : m.options()) {
        if (option.equals("rshared") || option.equals("shared") || option.equals("rslave") || option.equals("slave")) {
          throw new InvalidArgumentException("create container " + id + ": config.mounts: propagation of "
              + m.destination() + " is " + (option.endsWith("shared") ? "PROPAGATION_BIDIRECTIONAL"
                  : "PROPAGATION_HOST_TO_CONTAINER")
              + ", which the gVisor (runsc) handler cannot do; only PROPAGATION_PRIVATE");
        }
      }
    }
  }

  @Override
  public void start(ContainerId id) {
    containers.start(id);
  }

  /**
   * runsc signals only running containers; a created one (its sandbox up, its program not yet
   * started) is ended by destroying its sandbox, after which conmon records the exit.
   */
  @Override
  public void kill(ContainerId id, int signal) {
    try {
      containers.kill(id, signal);
    } catch (FailedPreconditionException e) {
      if (!e.getMessage().contains("in state created")) {
        throw e;
      }
      RuntimeCommand.Result r = RuntimeCommand.run(runtime.command("delete", "--force", id.value()), null);
      if (!r.ok()) {
        throw new FailedPreconditionException("kill created container " + id + ": runsc delete: " + r.reason());
      }
    }
  }

  @Override
  public ContainerState state(ContainerId id) {
    return containers.state(id);
  }

  @Override
  public ExitStatus waitForExit(ContainerId id, Duration timeout) {
    return containers.waitForExit(id, timeout);
  }

  @Override
  public void delete(ContainerId id) {
    containers.delete(id);
  }

  @Override
  public ExecProcess exec(ContainerId id, ExecRequest request) {
    return containers.exec(id, request);
  }

  @Override
  public StdioSession attach(ContainerId id) {
    return containers.attach(id);
  }

  @Override
  public void reopenLog(ContainerId id) {
    containers.reopenLog(id);
  }

  @Override
  public List<ContainerState> list() {
    return containers.list();
  }
}
