package dev.kona.engine;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.engine.plan.CapabilitySets;
import dev.kona.engine.plan.LaunchPlan;
import dev.kona.engine.plan.NamespaceEntry;
import dev.kona.engine.plan.PlanEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PID 1 for pods that share one PID namespace: the helper's own reaping init (no pause image), in
 * a new PID namespace and the pod's pinned net/ipc/uts namespaces, kept by a monitor under
 * {@code <run root>/pod-init/<pod>}. Containers of the pod join {@link #pidNamespace}.
 */
public final class PodInits {
  private static final int SIGKILL = 9;

  private final Path root;
  private final ShimLauncher launcher;
  private final Monitors monitors;

  PodInits(RunRoot runRoot, ShimLauncher launcher, Monitors monitors) {
    this.root = runRoot.root().resolve("pod-init");
    this.launcher = launcher;
    this.monitors = monitors;
  }

  /** Starts the pod's init, joined to {@code joins} (pinned ns files); returns its host pid. */
  public int start(String podId, List<NamespaceEntry> joins) {
    Path dir = dir(podId);
    List<NamespaceEntry> namespaces = new ArrayList<>(joins);
    namespaces.add(NamespaceEntry.create("pid"));
    LaunchPlan plan = new LaunchPlan(namespaces, List.of(), null, null, Map.of(), List.of(), null,
        new LaunchPlan.Security(CapabilitySets.NONE, true, null, 0), new LaunchPlan.Identity(0, 0, List.of(), null),
        new LaunchPlan.ProcessSpec(List.of("kona-init"), List.of(), "/"),
        new LaunchPlan.Stdio(false, false, false, null, 0), null, true);
    try {
      Files.createDirectories(root);
      Files.createDirectory(dir);
      ShimLauncher.Created created = launcher.create(dir, PlanEncoder.encode(plan));
      String reply = monitors.request(dir, "start");
      if (!"ok".equals(reply)) {
        throw new InternalException("start pod init " + podId + ": " + reply);
      }
      return created.pid();
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new dev.kona.common.error.AlreadyExistsException("start pod init " + podId + ": already running");
    } catch (IOException | RuntimeException e) {
      stop(podId);
      if (e instanceof KonaException k) {
        throw k.withContext("start pod init " + podId);
      }
      throw new InternalException("start pod init " + podId, e);
    }
  }

  /** {@code /proc/<pid>/ns/pid} of the pod's running init, for the pid namespace of its containers. */
  public Path pidNamespace(String podId) {
    Path dir = dir(podId);
    MonitorStatus status = monitors.statusOrNull(dir);
    if (status == null) {
      throw new NotFoundException("pod init " + podId + " does not exist");
    }
    if (status.stopped() || !status.monitorAlive()) {
      throw new FailedPreconditionException("pod init " + podId + " has exited; the pod's PID namespace is gone");
    }
    return Path.of("/proc", Integer.toString(status.pid()), "ns", "pid");
  }

  /** Kills the init (and with it every process of the pod's PID namespace) and removes its state. */
  public void stop(String podId) {
    Path dir = dir(podId);
    if (!Files.isDirectory(dir)) {
      return;
    }
    monitors.signal(dir, SIGKILL);
    monitors.waitForExit(dir, Duration.ofSeconds(10));
    RunRoot.deleteTree(dir);
  }

  private Path dir(String podId) {
    return root.resolve(new ContainerId(podId).value());
  }
}
