package dev.kona.runtime.sandbox;

import dev.kona.cni.PodDns;
import dev.kona.cni.PodNetworkRequest;
import dev.kona.cni.PodNetworkResult;
import dev.kona.cni.PodNetworks;
import dev.kona.cni.PortMapping;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.fs.DirectoryTree;
import dev.kona.linux.mount.Mount;
import dev.kona.linux.mount.Mounter;
import dev.kona.linux.ns.NamespacePinner;
import dev.kona.linux.ns.NamespaceType;
import dev.kona.linux.ns.Namespaces;
import dev.kona.linux.ns.PinnedNamespaces;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.runtime.util.StepTimer;
import dev.kona.runtime.util.Undo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host resources of a pod sandbox: pinned namespaces (no pause process), its /dev/shm, its
 * hostname/hosts/resolv.conf, its sysctls, and its network through CNI. {@link #setUp} makes them
 * all or, failing part-way, none; {@link #detachNetwork} and {@link #release} take them down again
 * and succeed for what is already gone.
 */
public final class SandboxLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxLifecycle.class);
  private static final Path HOST_SHM = Path.of("/dev/shm");
  private static final String SHM_SIZE = "size=65536k";
  private static final String RUN = "run_pod_sandbox";

  private final SandboxPaths paths;
  private final Syscalls sys;
  private final NamespacePinner pinner;
  private final Mounter mounter;
  private final PodNetworks networks;
  private final PodPidNamespaces pidNamespaces;
  private final StepTimer steps;
  private final Path userNamespaceHolder;

  /** @param networks CNI, or null to give pods only their own loopback */
  public SandboxLifecycle(SandboxPaths paths, Syscalls sys, PodNetworks networks, PodPidNamespaces pidNamespaces,
      StepTimer steps) {
    this(paths, sys, networks, pidNamespaces, steps, null);
  }

  /**
   * @param userNamespaceHolder {@code kona-shim}, which makes a pod's user namespace and the
   *     namespaces it owns ({@link NamespacePinner#pinInUserNamespace}); null: pods with
   *     userns_options POD are refused
   */
  public SandboxLifecycle(SandboxPaths paths, Syscalls sys, PodNetworks networks, PodPidNamespaces pidNamespaces,
      StepTimer steps, Path userNamespaceHolder) {
    this.userNamespaceHolder = userNamespaceHolder;
    this.pidNamespaces = pidNamespaces;
    this.steps = steps;
    this.paths = paths;
    this.sys = sys;
    this.pinner = new NamespacePinner(sys);
    this.mounter = new Mounter(sys);
    this.networks = networks;
  }

  /**
   * Everything {@link #setUp} may make for this pod, at the paths it will use: the record the
   * journal keeps before any of it is made, and what {@link #tearDown} removes after a crash.
   */
  public SandboxRecord plan(String id, SandboxSpec spec, long createdAtNanos) {
    Set<NamespaceType> own = ownNamespaces(spec);
    Path runDir = paths.runDir(id);
    return new SandboxRecord(id, spec, createdAtNanos, SandboxState.NOTREADY,
        planned(own, runDir, NamespaceType.NET), planned(own, runDir, NamespaceType.IPC),
        planned(own, runDir, NamespaceType.UTS),
        own.contains(NamespaceType.IPC) ? runDir.resolve("shm").toString() : HOST_SHM.toString(),
        paths.filesDir(id).toString(), List.of(), !spec.hostNetwork() && networks != null,
        spec.userNamespace() == null ? "" : runDir.resolve(NamespaceType.USER.procName()).toString());
  }

  private static String planned(Set<NamespaceType> own, Path runDir, NamespaceType type) {
    return own.contains(type) ? runDir.resolve(type.procName()).toString() : "";
  }

  private static Set<NamespaceType> ownNamespaces(SandboxSpec spec) {
    Set<NamespaceType> own = EnumSet.noneOf(NamespaceType.class);
    if (!spec.hostNetwork()) {
      own.add(NamespaceType.NET);
      own.add(NamespaceType.UTS);
    }
    if (spec.namespaces().ipc() != SandboxSpec.NamespaceMode.NODE) {
      own.add(NamespaceType.IPC);
    }
    return own;
  }

  public SandboxRecord setUp(String id, SandboxSpec spec, long createdAtNanos) {
    Sysctls.validate(spec);
    Path runDir = paths.runDir(id);
    Path filesDir = paths.filesDir(id);
    try (Undo undo = new Undo("run pod sandbox " + id)) {
      createDir(runDir);
      undo.push("remove " + runDir, () -> deleteTreeNoFollow(runDir));

      Set<NamespaceType> own = ownNamespaces(spec);
      // No hostname asked for: the new UTS namespace keeps the node's, as with runc.
      String hostname = spec.hostname().isEmpty() ? null : spec.hostname();
      SandboxSpec.UserNamespace userns = spec.userNamespace();
      if (userns != null && userNamespaceHolder == null) {
        throw new dev.kona.common.error.FailedPreconditionException("run pod sandbox " + id
            + ": this runtime cannot make user namespaces (userns_options mode POD)");
      }
      PinnedNamespaces pinned = userns != null
          ? steps.time(RUN, "namespaces", () -> pinner.pinInUserNamespace(runDir, own, hostname, userNamespaceHolder,
              userns.uids().mapLine(), userns.gids().mapLine()))
          : own.isEmpty() ? new PinnedNamespaces(Map.of())
          : steps.time(RUN, "namespaces", () -> pinner.pin(runDir, own, hostname));
      undo.push("unpin namespaces", () -> pinner.unpin(pinned));

      Path shm = steps.time(RUN, "shm_files_sysctls", () -> podFiles(id, spec, own, pinned, hostname, undo));

      SandboxRecord record = new SandboxRecord(id, spec, createdAtNanos, SandboxState.READY,
          pathOf(pinned, NamespaceType.NET), pathOf(pinned, NamespaceType.IPC), pathOf(pinned, NamespaceType.UTS),
          shm.toString(), filesDir.toString(), List.of(), false, pathOf(pinned, NamespaceType.USER));

      // The pod's init and its network do not depend on each other: the init starts while CNI runs.
      CompletableFuture<Void> init = null;
      if (spec.namespaces().pid() == SandboxSpec.NamespaceMode.POD) {
        SandboxRecord withInit = record;
        init = CompletableFuture.runAsync(() -> steps.run(RUN, "pod_init", () -> pidNamespaces.start(withInit)),
            task -> Thread.ofVirtual().name("pod-init-" + id).start(task));
      }
      RuntimeException failure = null;
      if (!spec.hostNetwork() && networks != null) {
        try {
          // CNI runs DEL itself when an ADD fails; nothing to undo here but the pins.
          SandboxRecord unattached = record;
          PodNetworkResult result = steps.time(RUN, "network", () -> networks.setUp(networkRequest(unattached)));
          record = record.withNetwork(result.ips().stream().map(a -> a.getHostAddress()).toList(), true);
          SandboxRecord attached = record;
          undo.push("detach network", () -> networks.tearDown(networkRequest(attached)));
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (init != null) {
        try {
          init.join();
          undo.push("stop pod init", () -> pidNamespaces.stop(id));
        } catch (CompletionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      undo.commit();
      return record;
    }
  }

  /** The pod's /dev/shm (when it has its own IPC namespace), hostname/hosts/resolv.conf and sysctls. */
  private Path podFiles(String id, SandboxSpec spec, Set<NamespaceType> own, PinnedNamespaces pinned, String hostname,
      Undo undo) {
    Path runDir = paths.runDir(id);
    Path filesDir = paths.filesDir(id);
    Path shm = HOST_SHM;
    if (own.contains(NamespaceType.IPC)) {
      shm = runDir.resolve("shm");
      createDir(shm);
      mounter.mount(Mount.tmpfs(shm.toString(), "nosuid", "nodev", "noexec", "mode=1777", SHM_SIZE));
      Path mounted = shm;
      undo.push("unmount " + shm, () -> mounter.unmount(mounted.toString()));
    }
    // Pushed first: a write that fails part way (a full disk) must not leave the files it made.
    undo.push("remove " + filesDir, () -> deleteTreeNoFollow(filesDir));
    PodFiles.write(filesDir, hostname == null ? localHostname() : hostname, spec.dns());
    applySysctls(spec, pinned);
    return shm;
  }

  public PodPidNamespaces pidNamespaces() {
    return pidNamespaces;
  }

  /** CNI DEL; throws if a plugin fails so the kubelet retries StopPodSandbox. */
  public SandboxRecord detachNetwork(SandboxRecord record) {
    return detachNetwork(record, "stop_pod_sandbox");
  }

  /** CNI DEL, timed as the {@code network} step of {@code operation}. */
  SandboxRecord detachNetwork(SandboxRecord record, String operation) {
    if (record.spec().hostNetwork() || networks == null) {
      return record;
    }
    if (record.networkAttached()) {
      steps.run(operation, "network", () -> networks.tearDown(networkRequest(record)));
    }
    return record.withNetwork(record.ips(), false);
  }

  /**
   * Takes down whatever exists of a sandbox a crash interrupted, from its record or from its
   * intent ({@link #plan}): CNI DEL (with the cached config), then {@link #release}. Idempotent:
   * what is already gone is skipped.
   */
  public void tearDown(SandboxRecord record) {
    release(detachNetwork(record, "recover"));
  }

  StepTimer steps() {
    return steps;
  }

  /** Unmounts shm, unpins namespaces, deletes the sandbox's dirs. Idempotent. */
  public void release(SandboxRecord record) {
    KonaException first = null;
    Path runDir = paths.runDir(record.id());
    try {
      pidNamespaces.stop(record.id());
      if (!record.shm().isEmpty() && !record.shm().equals(HOST_SHM.toString())) {
        mounter.unmount(record.shm());
      }
      Map<NamespaceType, Path> pins = new java.util.EnumMap<>(NamespaceType.class);
      putIfSet(pins, NamespaceType.NET, record.netns());
      putIfSet(pins, NamespaceType.IPC, record.ipcns());
      putIfSet(pins, NamespaceType.UTS, record.utsns());
      putIfSet(pins, NamespaceType.USER, record.userns());
      pinner.unpin(new PinnedNamespaces(pins));
    } catch (KonaException e) {
      first = e;
    }
    if (first != null) {
      throw first.withContext("release pod sandbox " + record.id());
    }
    deleteTreeNoFollow(runDir);
    deleteTreeNoFollow(paths.filesDir(record.id()));
  }

  private void applySysctls(SandboxSpec spec, PinnedNamespaces pinned) {
    for (Map.Entry<String, String> e : spec.sysctls().entrySet()) {
      NamespaceType type = Sysctls.scopeOf(e.getKey(), spec) == Sysctls.Scope.NET ? NamespaceType.NET : NamespaceType.IPC;
      Path proc = Path.of(Sysctls.procPath(e.getKey()));
      Namespaces.callIn(sys, pinned.path(type), type, () -> {
        try {
          Files.writeString(proc, e.getValue());
        } catch (IOException ex) {
          throw new dev.kona.common.error.InvalidArgumentException(
              "config.linux.sysctls: set " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(), ex);
        }
        return null;
      });
    }
  }

  private static PodNetworkRequest networkRequest(SandboxRecord record) {
    SandboxSpec spec = record.spec();
    List<PortMapping> ports = spec.portMappings().stream()
        .filter(p -> p.hostPort() > 0)
        .map(p -> new PortMapping(p.hostPort(), p.containerPort(), p.protocol(), p.hostIp()))
        .toList();
    PodDns dns = spec.dns().isEmpty() ? null
        : new PodDns(spec.dns().servers(), spec.dns().searches(), spec.dns().options());
    Path netns = record.netns().isEmpty() || !Files.exists(Path.of(record.netns())) ? null : Path.of(record.netns());
    return new PodNetworkRequest(record.id(), spec.metadata().name(), spec.metadata().namespace(),
        spec.metadata().uid(), netns, ports, spec.annotations(), dns,
        spec.cgroupParent().isEmpty() ? null : spec.cgroupParent());
  }

  private static String localHostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String pathOf(PinnedNamespaces pinned, NamespaceType type) {
    Path p = pinned.paths().get(type);
    return p == null ? "" : p.toString();
  }

  private static void putIfSet(Map<NamespaceType, Path> pins, NamespaceType type, String path) {
    if (path != null && !path.isEmpty()) {
      pins.put(type, Path.of(path));
    }
  }

  private static void createDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InternalException("create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes a directory tree without following symlinks; never descends into a mount point (a
   * mount that failed to come off must not have its contents deleted through it).
   */
  public static void deleteTreeNoFollow(Path dir) {
    try {
      DirectoryTree.delete(dir);
    } catch (DirectoryTree.MountedException e) {
      LOG.warn("not removing {}: something is still mounted under it ({})", dir, e.getOtherFile());
    } catch (IOException e) {
      LOG.warn("remove {}: {}", dir, e.getMessage());
    }
  }
}
