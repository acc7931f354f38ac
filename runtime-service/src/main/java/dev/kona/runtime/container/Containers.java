package dev.kona.runtime.container;

import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.engine.ContainerEngine;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ContainerState;
import dev.kona.engine.ContainerStatus;
import dev.kona.engine.CreateRequest;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import dev.kona.runtime.RuntimeHandlers;
import dev.kona.runtime.cdi.CdiEdits;
import dev.kona.runtime.cdi.CdiSpecs;
import dev.kona.runtime.sandbox.SandboxContainers;
import dev.kona.runtime.sandbox.SandboxLifecycle;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxSpec;
import dev.kona.runtime.sandbox.SandboxState;
import dev.kona.runtime.sandbox.Sandboxes;
import dev.kona.runtime.spec.OciSpecBuilder;
import dev.kona.runtime.spec.SpecInputs;
import dev.kona.runtime.state.Ids;
import dev.kona.runtime.state.Journal;
import dev.kona.runtime.state.JsonStore;
import dev.kona.runtime.state.NameReservations;
import dev.kona.runtime.util.StepTimer;
import dev.kona.runtime.util.Undo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every container of this node: records (persisted, restored at start), names unique per pod and
 * attempt, and the create/start/stop/remove operations on the engine of the pod's runtime handler,
 * serialised per container.
 *
 * <p>Create and remove write their intent to the {@link Journal} before they touch the host (bundle,
 * rootfs mount and writable layer, the engine's monitor and cgroups); {@link #recover} finishes at
 * start what a crashed daemon left half done.
 */
public final class Containers implements SandboxContainers {

  private static final Logger LOG = LoggerFactory.getLogger(Containers.class);
  private static final Duration REMOVE_GRACE = Duration.ZERO;
  private static final String CREATE = "create_container";
  private static final String REMOVE = "remove_container";

  private final Sandboxes sandboxes;
  private final ContainerImages images;
  private final RuntimeHandlers handlers;
  private final OciSpecBuilder specs;
  private final SeccompProfiles seccomp;
  private final CgroupUpdates cgroups;
  private final CdiSpecs cdi;
  private final StepTimer steps;
  private final Path bundles;
  private final JsonStore<ContainerRecord> store;
  private final Journal<ContainerIntent> journal;
  private final ConcurrentMap<String, ContainerRecord> records = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Ids.Index index = new Ids.Index("container");
  private final NameReservations names = new NameReservations("container");
  private volatile ContainerEvents events = ContainerEvents.NONE;

  public Containers(Sandboxes sandboxes, ContainerImages images, RuntimeHandlers handlers, OciSpecBuilder specs,
      SeccompProfiles seccomp, CgroupUpdates cgroups, CdiSpecs cdi, Path stateRoot, StepTimer steps) {
    this.cgroups = cgroups;
    this.cdi = cdi;
    this.steps = steps;
    this.sandboxes = sandboxes;
    this.images = images;
    this.handlers = handlers;
    this.specs = specs;
    this.seccomp = seccomp;
    this.bundles = stateRoot.resolve("containers");
    this.store = new JsonStore<>(stateRoot.resolve("runtime").resolve("containers"), ContainerRecord.class);
    this.journal = new Journal<>(stateRoot.resolve("runtime").resolve("journal").resolve("containers"),
        ContainerIntent.class);
    restore();
    sandboxes.setContainers(this);
  }

  public void setEvents(ContainerEvents events) {
    this.events = events;
  }

  /** Whether the pod runs in its own user namespace (what allows procMount Unmasked). */
  public boolean podHasUserNamespace(String sandboxId) {
    return sandboxes.get(sandboxId).spec().userNamespace() != null;
  }

  public String create(String sandboxId, ContainerSpec spec) {
    return create(sandboxId, spec, Map.of());
  }

  /**
   * @param cdiDevices the CDI devices (KEP-4009) the container asks for, fully-qualified, each with
   *     the request field that named it
   */
  public String create(String sandboxId, ContainerSpec spec, Map<String, String> cdiDevices) {
    SandboxRecord sandbox = sandboxes.get(sandboxId);
    if (sandbox.state() != SandboxState.READY) {
      throw new FailedPreconditionException("create container " + spec.name() + ": pod sandbox " + sandbox.id() + " is not ready");
    }
    String handler = sandbox.spec().runtimeHandler();
    ContainerEngine engine = engineOf(handler, "create container " + spec.name() + " in pod sandbox " + sandbox.id());
    checkFeatures(handler, spec);
    checkUserNamespace(sandbox, spec);
    CdiEdits cdiEdits = cdi.resolve(cdiDevices);
    if (!cdiEdits.hooks().isEmpty() && RuntimeHandlers.isDefaultName(handler)) {
      throw new FailedPreconditionException("create container " + spec.name() + ": CDI devices " + cdiEdits.devices()
          + " bring OCI hooks, which Kona's own engine does not run; use a runc or crun runtime handler");
    }
    Path logPath = logPathOf(sandbox, spec);
    ContainerImages.ResolvedImage image = steps.time(CREATE, "image", () -> images.resolve(spec.image()));
    String id = Ids.newId();
    String key = spec.reservationKey(sandbox.id());
    names.reserve(key, id);
    Path bundle = bundles.resolve(id);
    Path rootfs = bundle.resolve("rootfs");
    try (Undo undo = new Undo("create container " + id)) {
      undo.push("release name", () -> names.release(key, id));
      ContainerRecord record = new ContainerRecord(id, sandbox.id(), spec, image.id(), nowNanos(), bundle.toString(),
          logPath == null ? "" : logPath.toString(), stopSignalOf(spec, image), "", handler);
      journal.begin(id, new ContainerIntent(Journal.Action.CREATE, record));
      undo.push("end intent", () -> journal.end(id)); // the steps below undo what they made
      createDirs(rootfs);
      undo.push("remove bundle", () -> SandboxLifecycle.deleteTreeNoFollow(bundle));
      // Pushed first: a rootfs that fails part way (a full disk) must not leave its writable layer.
      // Releasing the rootfs also unmounts the image mounts and drops their holds.
      undo.push("release rootfs", () -> images.releaseRootfs(id, rootfs));
      SandboxSpec.UserNamespace userns = sandbox.spec().userNamespace();
      ContainerImages.IdmappedRoot idmap = userns == null ? null : new ContainerImages.IdmappedRoot(
          Path.of(sandbox.userns()), userns.hostRootUid(), userns.hostRootGid());
      if (idmap == null) {
        steps.run(CREATE, "rootfs", () -> images.mountRootfs(id, image, rootfs));
      } else {
        steps.run(CREATE, "rootfs", () -> images.mountRootfs(id, image, rootfs, idmap));
      }
      ImageMounts imageMounts = steps.time(CREATE, "image_mounts", () -> mountImages(id, rootfs, spec, idmap));
      record = record.withSpec(spec.withMounts(imageMounts.recorded()));
      ContainerSpec bound = CdiInjection.apply(spec.withMounts(imageMounts.bound()), cdiEdits);

      // Under the bundle, so removing the container removes its image volumes too.
      List<ContainerSpec.MountSpec> volumes = steps.time(CREATE, "image_volumes",
          () -> ImageVolumes.prepare(id, rootfs, bundle.resolve("volumes"), image.facts().volumes(), bound.mounts()));
      steps.run(CREATE, "spec", () -> SpecJson.write(bundle, specs.build(new SpecInputs(id, bound, image.facts(),
          sandbox, rootfs, cgroupsPath(cgroups.driver(), sandbox.spec().cgroupParent(), id), seccomp, pidNamespaceOf(sandbox, spec), volumes,
          CdiInjection.hooks(cdiEdits)))));
      steps.run(CREATE, "native_create",
          () -> engine.create(new CreateRequest(new ContainerId(id), bundle, logPath, spec.stdin(), spec.stdinOnce())));
      undo.push("delete from engine", () -> engine.delete(new ContainerId(id)));

      ContainerRecord created = record;
      steps.run(CREATE, "persist", () -> store.put(id, created));
      records.put(id, record);
      index.add(id);
      undo.commit();
      journal.end(id);
      events.created(record);
      return id;
    }
  }

  /**
   * The CRI mounts as recorded (image volumes with the id of the image mounted) and as bound into
   * the container (image volumes as read-only binds of their host mounts).
   */
  private record ImageMounts(List<ContainerSpec.MountSpec> recorded, List<ContainerSpec.MountSpec> bound) {}

  /**
   * Mounts each image volume (KEP-4639) read-only on the host beside the rootfs, at {@code
   * image-mounts/<index>}; its {@code image_sub_path} must exist in the image.
   */
  private ImageMounts mountImages(String id, Path rootfs, ContainerSpec spec, ContainerImages.IdmappedRoot idmap) {
    List<ContainerSpec.MountSpec> recorded = new java.util.ArrayList<>();
    List<ContainerSpec.MountSpec> bound = new java.util.ArrayList<>();
    for (int i = 0; i < spec.mounts().size(); i++) {
      ContainerSpec.MountSpec m = spec.mounts().get(i);
      if (!m.isImage()) {
        recorded.add(m);
        bound.add(m);
        continue;
      }
      String field = "config.mounts[" + i + "]";
      Path target = ContainerImages.imageMountsDir(rootfs).resolve(Integer.toString(i));
      createDirs(target);
      String imageId;
      try {
        imageId = idmap == null ? images.mountImage(id, m.image(), target) : images.mountImage(id, m.image(), target, idmap);
      } catch (NotFoundException e) {
        throw new NotFoundException("create container " + spec.name() + ": " + field + ".image: image \""
            + m.image() + "\" of " + m.containerPath() + " is not present; pull it first", e);
      }
      Path source = target;
      if (!m.imageSubPath().isEmpty()) {
        try {
          source = ImageVolumes.resolveInRoot(target, m.imageSubPath());
        } catch (IOException e) {
          throw new InvalidArgumentException("create container " + spec.name() + ": " + field + ".image_sub_path \""
              + m.imageSubPath() + "\" in image " + m.image() + ": " + e.getMessage(), e);
        }
        if (!Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw new InvalidArgumentException("create container " + spec.name() + ": " + field + ".image_sub_path \""
              + m.imageSubPath() + "\" does not exist in image " + m.image());
        }
      }
      recorded.add(m.withImageRef(imageId));
      bound.add(m.boundFrom(source.toString()));
    }
    return new ImageMounts(List.copyOf(recorded), List.copyOf(bound));
  }

  /** A recursive read-only mount on a handler that cannot make one is refused, never made writable below. */
  private void checkFeatures(String handler, ContainerSpec spec) {
    boolean rro = handlers.find(handler).map(h -> h.features().recursiveReadOnlyMounts()).orElse(false);
    for (int i = 0; i < spec.mounts().size(); i++) {
      if (spec.mounts().get(i).recursiveReadOnly() && !rro) {
        throw new InvalidArgumentException("config.mounts[" + i + "].recursive_read_only: runtime handler \""
            + handler + "\" cannot make recursive read-only mounts on this node (see Status runtime_handlers)");
      }
    }
  }

  /**
   * In a pod with its own user namespace every container joins it, so its PID namespace must be
   * the pod's or its own (a host PID namespace cannot be owned by it), and an idmapped mount maps
   * with the pod's namespace, so its mappings must be the pod's (the kubelet sends the pod's).
   */
  private static void checkUserNamespace(SandboxRecord sandbox, ContainerSpec spec) {
    SandboxSpec.UserNamespace userns = sandbox.spec().userNamespace();
    if (userns != null && spec.security().pidMode().equals("NODE")) {
      throw new InvalidArgumentException("config.linux.security_context.namespace_options.pid NODE: pod sandbox "
          + sandbox.id() + " has its own user namespace, which the host's PID namespace cannot belong to");
    }
    for (int i = 0; i < spec.mounts().size(); i++) {
      SandboxSpec.UserNamespace mapping = spec.mounts().get(i).idMapping();
      if (mapping == null) {
        continue;
      }
      String field = "config.mounts[" + i + "].uidMappings";
      if (userns == null) {
        throw new InvalidArgumentException(field + ": an idmapped mount needs a pod with its own user namespace"
            + " (userns_options mode POD); pod sandbox " + sandbox.id() + " has none");
      }
      if (!mapping.uids().equals(userns.uids()) || !mapping.gids().equals(userns.gids())) {
        throw new InvalidArgumentException(field + " and gidMappings: expected the pod's mappings " + userns
            + ", got " + mapping);
      }
    }
  }

  /** The config's stop_signal, else the image's STOPSIGNAL, else SIGTERM. */
  private static int stopSignalOf(ContainerSpec spec, ContainerImages.ResolvedImage image) {
    return spec.stopSignal().isEmpty() ? Signals.parse(image.facts().stopSignal()) : Signals.fromCri(spec.stopSignal());
  }

  public void start(String idOrPrefix) {
    String id = index.resolve(idOrPrefix, "container_id");
    withLock(id, () -> {
      ContainerEngine engine = engineOf(require(id));
      ContainerState state = engine.state(new ContainerId(id));
      if (state.status() != ContainerStatus.CREATED) {
        throw new FailedPreconditionException("start container " + id + ": it is " + state.status() + ", not CREATED");
      }
      try {
        steps.run("start_container", "native_start", () -> engine.start(new ContainerId(id)));
      } catch (KonaException e) {
        ContainerRecord failed = records.get(id).withStartError(e.getMessage());
        store.put(id, failed);
        records.put(id, failed);
        events.stopped(failed);
        throw e;
      }
      events.started(records.get(id));
      return null;
    });
  }

  /**
   * Stops with the stop signal, then SIGKILL after {@code timeout}; idempotent: a stopped container
   * and an unknown or removed id succeed (the kubelet retries a stop after a timeout or restart).
   */
  public void stop(String idOrPrefix, Duration timeout) {
    String id = index.resolveOrNull(idOrPrefix, "container_id");
    ContainerRecord record = id == null ? null : records.get(id);
    if (record == null) {
      return;
    }
    ContainerEngine engine = engineOf(record);
    ContainerState state = stateOf(record);
    if (state.status() == ContainerStatus.RUNNING) {
      engine.stop(new ContainerId(id), record.stopSignal(), timeout);
      events.stopped(record);
    } else if (state.status() == ContainerStatus.CREATED) {
      engine.kill(new ContainerId(id), Signals.SIGKILL);
      events.stopped(record);
    }
  }

  /** Kills if running, removes everything; unknown ids succeed. */
  public void remove(String idOrPrefix) {
    String id = index.resolveOrNull(idOrPrefix, "container_id");
    if (id == null) {
      return;
    }
    withLock(id, () -> {
      ContainerRecord record = records.get(id);
      if (record == null) {
        return null;
      }
      ContainerId cid = new ContainerId(id);
      ContainerEngine engine = engineOf(record);
      // From here a crash means the removal is finished at the next start.
      journal.begin(id, new ContainerIntent(Journal.Action.REMOVE, record));
      // A container the engine lost (a crash after its delete) reads UNKNOWN: there is nothing to stop.
      ContainerState state = stateOf(record);
      if (state.status() == ContainerStatus.RUNNING || state.status() == ContainerStatus.CREATED) {
        engine.stop(cid, Signals.SIGKILL, REMOVE_GRACE);
      }
      steps.run(REMOVE, "native_delete", () -> engine.delete(cid));
      Path bundle = Path.of(record.bundle());
      steps.run(REMOVE, "rootfs", () -> images.releaseRootfs(id, bundle.resolve("rootfs")));
      steps.run(REMOVE, "files", () -> {
        SandboxLifecycle.deleteTreeNoFollow(bundle);
        store.delete(id);
      });
      records.remove(id);
      index.remove(id);
      names.release(record.spec().reservationKey(record.sandboxId()), id);
      journal.end(id);
      events.deleted(record);
      return null;
    });
    locks.remove(id);
  }

  /**
   * Finishes what a crashed daemon left in the journal: a container whose creation was cut short
   * (no persisted record) is torn down from its intent: its monitor killed and reaped (identified
   * by pid and start time), its cgroups and engine state removed, its rootfs unmounted, its
   * writable layer and bundle deleted; one whose record was complete is adopted; a removal that
   * had begun is completed. Call once at start, before the sandboxes recover and before the first
   * CRI call. A teardown that fails keeps its entry for the next start.
   */
  public void recover() {
    journal.recover(new Journal.Recovery<>() {
      @Override public String kind() { return "container"; }
      @Override public String operation(Journal.Action a) {
        return a == Journal.Action.CREATE ? "CreateContainer" : "RemoveContainer";
      }
      @Override public String id(ContainerIntent intent) { return intent.record().id(); }
      @Override public Journal.Action action(ContainerIntent intent) { return intent.action(); }
      @Override public boolean recorded(String id) { return records.containsKey(id); }
      @Override public void finishRemoval(String id) { remove(id); }
      @Override public void tearDown(ContainerIntent intent) { Containers.this.tearDown(intent.record()); }
    });
    removeUnaccounted();
  }

  /**
   * Containers an engine holds that neither a record nor a journal entry accounts for (a record
   * that could not be read is skipped at start): no listing shows them and no call could reach
   * them, so they are killed and removed with their rootfs, writable layer and bundle, instead of
   * running unlisted forever.
   */
  private void removeUnaccounted() {
    for (RuntimeHandlers.Handler handler : handlers.all()) {
      List<dev.kona.engine.ContainerState> held;
      List<ContainerId> unfinished;
      try {
        held = handler.engine().list();
        unfinished = handler.engine().unfinished();
      } catch (RuntimeException e) {
        LOG.warn("runtime handler \"{}\": list its containers: {}", handler.name(), e.getMessage());
        continue;
      }
      for (dev.kona.engine.ContainerState state : held) {
        removeUnaccounted(handler, state.id(), state.status());
      }
      for (ContainerId id : unfinished) {
        removeUnaccounted(handler, id, null);
      }
    }
  }

  /** {@code status} is null for a container whose setup never finished. */
  private void removeUnaccounted(RuntimeHandlers.Handler handler, ContainerId cid, ContainerStatus status) {
    String id = cid.value();
    if (records.containsKey(id)) {
      return;
    }
    LOG.warn("container {} of runtime handler \"{}\" ({}) has no readable record and no journal entry;"
        + " removing it", id, handler.name(), status == null ? "setup never finished" : status);
    try {
      if (status == ContainerStatus.RUNNING) {
        handler.engine().stop(cid, Signals.SIGKILL, Duration.ZERO);
      }
      handler.engine().delete(cid);
      Path bundle = bundles.resolve(id);
      images.releaseRootfs(id, bundle.resolve("rootfs"));
      SandboxLifecycle.deleteTreeNoFollow(bundle);
      store.delete(id);
    } catch (RuntimeException e) {
      LOG.error("container {}: removing it failed, retried at the next start: {}", id, e.getMessage(), e);
    }
  }

  /** Everything of a container that may exist, from its record; each part skips what is gone. */
  private void tearDown(ContainerRecord record) {
    ContainerId cid = new ContainerId(record.id());
    var handler = handlers.find(record.runtimeHandler());
    if (handler.isEmpty()) {
      throw new FailedPreconditionException("tear down container " + record.id() + ": runtime handler \""
          + record.runtimeHandler() + "\" is not configured");
    }
    handler.get().engine().delete(cid);
    Path bundle = Path.of(record.bundle());
    images.releaseRootfs(record.id(), bundle.resolve("rootfs"));
    SandboxLifecycle.deleteTreeNoFollow(bundle);
    store.delete(record.id());
  }

  /**
   * Applies new resources to a created or running container's cgroups and records them, so
   * ContainerStatus reports what is in force.
   */
  public void updateResources(String idOrPrefix, ContainerSpec.Resources resources) {
    String id = index.resolve(idOrPrefix, "container_id");
    withLock(id, () -> {
      ContainerRecord record = require(id);
      ContainerStatus status = stateOf(record).status();
      if (status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED) {
        throw new FailedPreconditionException("update resources of container " + id + ": it is " + status);
      }
      ContainerSpec updated = record.spec().withResources(resources);
      Spec oci = SpecJson.read(Path.of(record.bundle()));
      // The device rules stay those of the container's spec: CDI devices are in it, not in the record.
      dev.kona.oci.spec.Resources fresh = OciSpecBuilder.resources(updated);
      cgroups.update(oci.linux().cgroupsPath(), oci.linux().resources() == null ? fresh
          : new dev.kona.oci.spec.Resources(oci.linux().resources().devices(), fresh.memory(), fresh.cpu(),
              fresh.pids(), fresh.blockIo(), fresh.hugepageLimits(), fresh.unified()));
      ContainerRecord changed = record.withSpec(updated);
      store.put(id, changed);
      records.put(id, changed);
      return null;
    });
  }

  public ContainerRecord get(String idOrPrefix) {
    return require(index.resolve(idOrPrefix, "container_id"));
  }

  /**
   * The engine's view; a container the engine lost, or whose handler is no longer configured, is
   * UNKNOWN rather than an error.
   */
  public ContainerState stateOf(ContainerRecord record) {
    ContainerState unknown = new ContainerState(new ContainerId(record.id()), ContainerStatus.UNKNOWN, 0,
        Instant.ofEpochSecond(0, record.createdAtNanos()), null, null);
    var handler = handlers.find(record.runtimeHandler());
    if (handler.isEmpty()) {
      return unknown;
    }
    try {
      return handler.get().engine().state(new ContainerId(record.id()));
    } catch (NotFoundException e) {
      return unknown;
    }
  }

  public Collection<ContainerRecord> all() {
    return List.copyOf(records.values());
  }

  /**
   * The engine that runs this container: its pod's runtime handler's. FailedPrecondition when the
   * daemon's config no longer declares that handler.
   */
  public ContainerEngine engineOf(ContainerRecord record) {
    return engineOf(record.runtimeHandler(), "container " + record.id());
  }

  private ContainerEngine engineOf(String handler, String what) {
    return handlers.find(handler).map(RuntimeHandlers.Handler::engine).orElseThrow(() ->
        new FailedPreconditionException(what + ": runtime handler \"" + handler
            + "\" is not configured; this node has: " + handlers.describe()));
  }

  @Override
  public void stopAll(String sandboxId) {
    for (ContainerRecord r : all()) {
      if (r.sandboxId().equals(sandboxId)) {
        stop(r.id(), Duration.ofSeconds(10));
      }
    }
  }

  @Override
  public void removeAll(String sandboxId) {
    for (ContainerRecord r : all()) {
      if (r.sandboxId().equals(sandboxId)) {
        remove(r.id());
      }
    }
  }

  /** The PID namespace to join: the pod's shared one, or an ephemeral container's target's. */
  private String pidNamespaceOf(SandboxRecord sandbox, ContainerSpec spec) {
    return switch (spec.security().pidMode()) {
      case "POD" -> sandboxes.podPidNamespace(sandbox.id());
      case "TARGET" -> {
        ContainerRecord target = get(spec.security().targetId());
        int pid = engineOf(target).state(new ContainerId(target.id())).pid();
        if (pid <= 0) {
          throw new FailedPreconditionException("create container " + spec.name() + ": target container " + target.id() + " is not running");
        }
        yield "/proc/" + pid + "/ns/pid";
      }
      default -> null;
    };
  }

  /** The OCI {@code linux.cgroupsPath} of container {@code id} in a pod with this {@code cgroup_parent}. */
  static String cgroupsPath(CgroupDriver driver, String cgroupParent, String id) {
    if (driver == CgroupDriver.SYSTEMD) {
      // slice:prefix:name, as runc's systemd driver reads it: a scope kona-<id>.scope in the pod's slice.
      return driver.containerCgroupsPath(cgroupParent.isEmpty() ? "kona.slice" : cgroupParent, SCOPE_PREFIX, id);
    }
    String parent = cgroupParent.isEmpty() ? "/kona" : cgroupParent;
    return parent + "/" + id;
  }

  /** The prefix of a container's scope unit under the systemd driver ({@code kona-<id>.scope}). */
  static final String SCOPE_PREFIX = "kona";

  private static Path logPathOf(SandboxRecord sandbox, ContainerSpec spec) {
    if (spec.logPath().isEmpty() || sandbox.spec().logDirectory().isEmpty()) {
      return null;
    }
    return LogPaths.prepare(Path.of(sandbox.spec().logDirectory()), spec.logPath());
  }

  /**
   * Before its monitor opens the log file again: FAILED_PRECONDITION when the way from the pod's
   * log directory to the file no longer consists of real directories (one was swapped for a
   * symlink since the container was created).
   */
  public void checkLogPath(ContainerRecord record) {
    if (record.logPath().isEmpty()) {
      return;
    }
    SandboxRecord sandbox = sandboxes.get(record.sandboxId());
    LogPaths.checkStillInside(record.id(), Path.of(sandbox.spec().logDirectory()), record.spec().logPath());
  }

  private ContainerRecord require(String id) {
    ContainerRecord r = records.get(id);
    if (r == null) {
      throw new NotFoundException("container \"" + id + "\" not found");
    }
    return r;
  }

  private <T> T withLock(String id, Supplier<T> action) {
    ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private void restore() {
    for (ContainerRecord r : store.loadAll()) {
      records.put(r.id(), r);
      index.add(r.id());
      names.reserve(r.spec().reservationKey(r.sandboxId()), r.id());
    }
    if (!records.isEmpty()) {
      LOG.info("restored {} containers", records.size());
    }
    records.values().stream().map(ContainerRecord::runtimeHandler).distinct()
        .filter(h -> handlers.find(h).isEmpty())
        .forEach(h -> LOG.warn("containers of runtime handler \"{}\" were restored, but the config no longer declares it;"
            + " they read as UNKNOWN and cannot be stopped or removed until it is declared again", h));
  }

  private static void createDirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InternalException("create " + dir + ": " + e.getMessage(), e);
    }
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
