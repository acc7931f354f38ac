package dev.kona.runtime;

import dev.kona.cni.PodNetworks;
import dev.kona.image.ImageService;
import dev.kona.linux.mount.Mounter;
import dev.kona.oci.spec.Seccomp;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.runtime.container.CgroupUpdates;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.container.SeccompProfiles;
import dev.kona.runtime.container.StoreImages;
import dev.kona.runtime.observe.Observability;
import dev.kona.runtime.stream.StreamUrls;
import dev.kona.runtime.util.StepTimer;
import dev.kona.runtime.spec.CapabilityPolicy;
import dev.kona.runtime.spec.OciSpecBuilder;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.runtime.cri.RuntimeServiceEndpoint;
import dev.kona.runtime.sandbox.PodPidNamespaces;
import dev.kona.runtime.sandbox.SandboxLifecycle;
import dev.kona.runtime.sandbox.SandboxPaths;
import dev.kona.runtime.sandbox.Sandboxes;
import io.grpc.BindableService;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime service as the daemon assembles it. Open once at start-up (it restores the pod and
 * container records of an earlier daemon and recovers from its crash, see
 * {@link dev.kona.runtime.state.Journal}), close at shutdown; closing never stops containers.
 */
public final class RuntimeModule implements AutoCloseable {

  private final RuntimeServiceEndpoint endpoint;
  private final Sandboxes sandboxes;
  private final Containers containers;
  private final Observability observability;

  private RuntimeModule(
      RuntimeServiceEndpoint endpoint, Sandboxes sandboxes, Containers containers, Observability observability) {
    this.endpoint = endpoint;
    this.sandboxes = sandboxes;
    this.containers = containers;
    this.observability = observability;
  }

  /** What the runtime service is built from; the daemon fills it from its config and other modules. */
  public record Setup(
      RuntimeInfo info,
      CgroupDriver cgroupDriver,
      Path stateRoot,
      Path runRoot,
      Syscalls syscalls,
      PodNetworks networks,
      ImageService images,
      RuntimeHandlers handlers,
      PodPidNamespaces podPidNamespaces,
      CgroupManager cgroupManager,
      List<String> hostCapabilities,
      Function<Set<String>, Seccomp> runtimeDefaultSeccomp,
      StreamUrls streamUrls,
      Supplier<Map<String, String>> verboseInfo,
      io.micrometer.core.instrument.MeterRegistry meterRegistry,
      int maxMessageBytes,
      dev.kona.linux.systemd.SystemdManager systemd,
      java.nio.file.Path userNamespaceHolder,
      List<Path> cdiSpecDirs) {}

  /** Stats, CRI metrics and container events over this runtime's records, hooked into its lifecycle. */
  private static Observability observability(Setup setup, Sandboxes sandboxes, Containers containers) {
    Observability observability = new Observability(new Observability.Sources(sandboxes, containers, setup.images(),
        dev.kona.linux.cgroup.CgroupManager.detect(),
        setup.cgroupDriver() == CgroupDriver.SYSTEMD
            ? dev.kona.linux.cgroup.CgroupDriver.SYSTEMD : dev.kona.linux.cgroup.CgroupDriver.CGROUPFS,
        setup.syscalls(),
        setup.meterRegistry() == null
            ? new io.micrometer.core.instrument.simple.SimpleMeterRegistry() : setup.meterRegistry()));
    containers.setEvents(observability.events());
    return observability;
  }

  public static RuntimeModule open(Setup setup) {
    SandboxPaths paths = new SandboxPaths(setup.runRoot(), setup.stateRoot());
    StepTimer steps = new StepTimer(setup.meterRegistry());
    Sandboxes sandboxes = new Sandboxes(
        new SandboxLifecycle(paths, setup.syscalls(), setup.networks(), setup.podPidNamespaces(), steps,
            setup.userNamespaceHolder()), paths);
    Containers containers = new Containers(sandboxes,
        new StoreImages(setup.images(), new Mounter(setup.syscalls()), setup.syscalls()),
        setup.handlers(),
        new OciSpecBuilder(new CapabilityPolicy(setup.hostCapabilities())),
        new SeccompProfiles(setup.runtimeDefaultSeccomp()),
        new CgroupUpdates(setup.cgroupManager(), switch (setup.cgroupDriver()) {
          case CGROUPFS -> dev.kona.linux.cgroup.CgroupDriver.CGROUPFS;
          case SYSTEMD -> dev.kona.linux.cgroup.CgroupDriver.SYSTEMD;
        }, setup.systemd() == null ? null
            : new dev.kona.linux.systemd.ScopeResources(setup.systemd(), setup.cgroupManager())),
        new dev.kona.runtime.cdi.CdiSpecs(setup.cdiSpecDirs() == null ? List.of() : setup.cdiSpecDirs()),
        setup.stateRoot(),
        steps);
    // Before the first call: finish what a crashed daemon left half done (containers first, so a
    // pod's interrupted removal finds its containers already settled).
    containers.recover();
    sandboxes.recover();
    NetworkReadiness network = setup.networks() == null
        ? NetworkReadiness.Readiness::ok
        : () -> {
          var s = setup.networks().status();
          return new NetworkReadiness.Readiness(s.ready(), s.reason(), s.message());
        };
    Observability observability = observability(setup, sandboxes, containers);
    RuntimeServiceEndpoint endpoint =
        new RuntimeServiceEndpoint(setup.info(), setup.cgroupDriver(), network, setup.verboseInfo(), sandboxes, containers,
        observability, setup.streamUrls(), setup.handlers(), setup.maxMessageBytes());
    return new RuntimeModule(endpoint, sandboxes, containers, observability);
  }

  public BindableService criService() {
    return endpoint;
  }

  public Sandboxes sandboxes() {
    return sandboxes;
  }

  public Containers containers() {
    return containers;
  }

  /** Stops the exit watcher and the event streams; containers keep running. */
  @Override
  public void close() {
    observability.close();
  }
}
