package dev.kona.runtime.sandbox;

import dev.kona.runtime.container.ContainerSpec;
import dev.kona.common.error.AlreadyExistsException;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.runtime.state.Ids;
import dev.kona.runtime.state.Journal;
import dev.kona.runtime.state.JsonStore;
import dev.kona.runtime.state.NameReservations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every pod sandbox of this node: the records (persisted, restored at start), the name
 * reservations, and the run/stop/remove operations, serialised per sandbox and parallel across
 * sandboxes. Reads ({@link #get}, {@link #all}) never block on an operation in progress.
 *
 * <p>Run and remove write their intent to the {@link Journal} before they touch the host;
 * {@link #recover} finishes at start what a crashed daemon left half done.
 */
public final class Sandboxes {

  private static final Logger LOG = LoggerFactory.getLogger(Sandboxes.class);
  /** How long a retried RunPodSandbox waits for the attempt it repeats: the kubelet's own deadline. */
  private static final long RETRY_WAIT_SECONDS = 240;
  private static final String REMOVE = "remove_pod_sandbox";

  private final SandboxLifecycle lifecycle;
  private final JsonStore<SandboxRecord> store;
  private final Journal<SandboxIntent> journal;
  private final ConcurrentMap<String, SandboxRecord> records = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Attempt> attempts = new ConcurrentHashMap<>();
  private final Ids.Index index = new Ids.Index("pod sandbox");
  private final NameReservations names = new NameReservations("pod sandbox");
  private volatile SandboxContainers containers = SandboxContainers.NONE;

  /** A RunPodSandbox in progress, and whether its result reached a caller. */
  private record Attempt(String id, CompletableFuture<String> result, AtomicBoolean delivered) {}

  public Sandboxes(SandboxLifecycle lifecycle, SandboxPaths paths) {
    this.lifecycle = lifecycle;
    this.store = new JsonStore<>(paths.records(), SandboxRecord.class);
    this.journal = new Journal<>(paths.journal("sandboxes"), SandboxIntent.class);
    restore();
  }

  /** The shared PID namespace of a pod that asked for one. */
  public String podPidNamespace(String sandboxId) {
    return lifecycle.pidNamespaces().pidNamespace(sandboxId);
  }

  public void setContainers(SandboxContainers containers) {
    this.containers = containers;
  }

  /**
   * Creates and starts a sandbox. A repeat of a RunPodSandbox whose caller gave up (the kubelet's
   * retry after its deadline) waits for the first attempt and gets its sandbox instead of a
   * "name is reserved" error; a repeat of one that was answered gets AlreadyExists naming it.
   *
   * @param callerGone true once the caller has stopped waiting (its deadline passed)
   */
  public String run(SandboxSpec spec, BooleanSupplier callerGone) {
    String key = spec.metadata().reservationKey();
    String id = Ids.newId();
    try {
      names.reserve(key, id);
    } catch (AlreadyExistsException taken) {
      return joinEarlierAttempt(key, taken);
    }
    Attempt attempt = new Attempt(id, new CompletableFuture<>(), new AtomicBoolean());
    attempts.put(key, attempt);
    ReentrantLock lock = lockOf(id);
    lock.lock();
    long createdAt = nowNanos();
    boolean begun = false;
    try {
      journal.begin(id, new SandboxIntent(Journal.Action.CREATE, lifecycle.plan(id, spec, createdAt)));
      begun = true;
      SandboxRecord record = lifecycle.setUp(id, spec, createdAt);
      try {
        store.put(id, record);
      } catch (RuntimeException e) {
        // Made but not recorded (a full disk): take it all down again, as recovery would. If that
        // fails too, the journal entry stays and the next start finishes it.
        try {
          lifecycle.tearDown(record);
        } catch (RuntimeException undo) {
          e.addSuppressed(undo);
          begun = false;
        }
        throw e;
      }
      records.put(id, record);
      index.add(id);
      journal.end(id);
      attempt.result().complete(id);
    } catch (RuntimeException e) {
      if (begun) {
        endQuietly(id); // setUp (or the teardown above) undid what it made
      }
      names.release(key, id);
      attempts.remove(key, attempt);
      attempt.result().completeExceptionally(e);
      locks.remove(id);
      throw e;
    } finally {
      lock.unlock();
    }
    if (callerGone.getAsBoolean()) {
      LOG.warn("pod sandbox {} for {} is ready but its caller gave up; keeping it for the retry", id, key);
    } else if (attempt.delivered().compareAndSet(false, true)) {
      attempts.remove(key, attempt);
    }
    return id;
  }

  private String joinEarlierAttempt(String key, AlreadyExistsException taken) {
    Attempt earlier = attempts.get(key);
    if (earlier == null) {
      throw taken;
    }
    String id;
    try {
      id = earlier.result().get(RETRY_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      // The first attempt failed and released the name: this call may try afresh.
      throw new AlreadyExistsException(
          "pod sandbox name \"" + key + "\" was being created by an attempt that failed ("
              + failed.getCause().getMessage() + "); retry", failed.getCause());
    } catch (TimeoutException e) {
      throw new DeadlineExceededException(
          "pod sandbox name \"" + key + "\" is still being created by sandbox " + earlier.id() + "; retry later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadlineExceededException("interrupted while waiting for sandbox " + earlier.id());
    }
    if (earlier.delivered().compareAndSet(false, true)) {
      attempts.remove(key, earlier);
      LOG.info("pod sandbox {} for {} handed to the retried RunPodSandbox", id, key);
      return id;
    }
    throw taken;
  }

  /**
   * Stops the sandbox's containers and takes its network down. Idempotent: a stopped sandbox and an
   * unknown or removed id succeed, as the CRI requires of StopPodSandbox.
   */
  public void stop(String idOrPrefix) {
    String id = index.resolveOrNull(idOrPrefix, "pod_sandbox_id");
    if (id == null) {
      return;
    }
    containers.stopAll(id);
    withLock(id, () -> {
      SandboxRecord record = records.get(id);
      if (record == null) {
        return null; // removed meanwhile
      }
      if (record.state() != SandboxState.NOTREADY) {
        // NOTREADY first: a crash during CNI DEL must not leave a READY pod without its network.
        record = record.withState(SandboxState.NOTREADY);
        store.put(id, record);
        records.put(id, record);
      }
      SandboxRecord detached = lifecycle.detachNetwork(record);
      if (!detached.equals(record)) {
        store.put(id, detached);
        records.put(id, detached);
      }
      return null;
    });
  }

  /**
   * Records the pod's new overhead and resources (UpdatePodSandboxResources, KEP-5419): the
   * kubelet has already resized the pod cgroup it owns, the runtime is only told. NotFound for an
   * unknown pod.
   */
  public void updateResources(String idOrPrefix, ContainerSpec.Resources overhead, ContainerSpec.Resources resources) {
    String id = index.resolve(idOrPrefix, "pod_sandbox_id");
    withLock(id, () -> {
      SandboxRecord record = get(id);
      SandboxRecord updated = record.withSpec(record.spec().withResources(overhead, resources));
      store.put(id, updated);
      records.put(id, updated);
      return null;
    });
  }

  /** Removes the sandbox, its containers and every resource it made. Unknown ids succeed. */
  public void remove(String idOrPrefix) {
    String id = index.resolveOrNull(idOrPrefix, "pod_sandbox_id");
    if (id == null) {
      return;
    }
    SandboxRecord removing = records.get(id);
    if (removing != null) {
      // From here a crash means the removal is finished at the next start.
      withLock(id, () -> {
        journal.begin(id, new SandboxIntent(Journal.Action.REMOVE, records.getOrDefault(id, removing)));
        return null;
      });
    }
    containers.removeAll(id);
    withLock(id, () -> {
      SandboxRecord record = records.get(id);
      if (record == null) {
        return null;
      }
      if (record.networkAttached()) {
        SandboxRecord attached = record;
        record = lifecycle.detachNetwork(attached, REMOVE);
      }
      SandboxRecord released = record;
      lifecycle.steps().run(REMOVE, "release", () -> lifecycle.release(released));
      lifecycle.steps().run(REMOVE, "files", () -> store.delete(id));
      records.remove(id);
      index.remove(id);
      names.release(record.spec().metadata().reservationKey(), id);
      journal.end(id);
      return null;
    });
    locks.remove(id);
  }

  /**
   * Finishes what a crashed daemon left in the journal: a sandbox whose creation was cut short is
   * torn down from its intent (pins, shm, pod init, CNI attachment, dirs), unless its record was
   * complete, in which case it is adopted; a removal that had begun is completed. Call once at
   * start, after the containers have recovered and before the first CRI call. A teardown that
   * fails keeps its entry for the next start.
   */
  public void recover() {
    journal.recover(new Journal.Recovery<>() {
      @Override public String kind() { return "pod sandbox"; }
      @Override public String operation(Journal.Action a) {
        return a == Journal.Action.CREATE ? "RunPodSandbox" : "RemovePodSandbox";
      }
      @Override public String id(SandboxIntent intent) { return intent.record().id(); }
      @Override public Journal.Action action(SandboxIntent intent) { return intent.action(); }
      @Override public boolean recorded(String id) { return records.containsKey(id); }
      @Override public void finishRemoval(String id) { remove(id); }
      @Override public void tearDown(SandboxIntent intent) {
        containers.removeAll(intent.record().id());
        lifecycle.tearDown(intent.record());
      }
    });
  }

  private void endQuietly(String id) {
    try {
      journal.end(id);
    } catch (RuntimeException e) {
      LOG.warn("pod sandbox {}: {}", id, e.getMessage());
    }
  }

  /** The record, or NotFound. */
  public SandboxRecord get(String idOrPrefix) {
    return require(index.resolve(idOrPrefix, "pod_sandbox_id"));
  }

  public SandboxRecord find(String idOrPrefix) {
    String id = index.resolveOrNull(idOrPrefix, "pod_sandbox_id");
    return id == null ? null : records.get(id);
  }

  public Collection<SandboxRecord> all() {
    return List.copyOf(records.values());
  }

  private SandboxRecord require(String id) {
    SandboxRecord r = records.get(id);
    if (r == null) {
      throw new NotFoundException("pod sandbox \"" + id + "\" not found");
    }
    return r;
  }

  private <T> T withLock(String id, Supplier<T> action) {
    ReentrantLock lock = lockOf(id);
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private ReentrantLock lockOf(String id) {
    return locks.computeIfAbsent(id, k -> new ReentrantLock());
  }

  /** Loads the records; a READY sandbox whose pinned netns vanished (a reboot) becomes NOTREADY. */
  private void restore() {
    for (SandboxRecord record : store.loadAll()) {
      SandboxRecord r = record;
      if (r.state() == SandboxState.READY && !r.netns().isEmpty() && !Files.exists(Path.of(r.netns()))) {
        LOG.warn("pod sandbox {}: its network namespace {} is gone; marking it NOTREADY", r.id(), r.netns());
        r = r.withState(SandboxState.NOTREADY);
        store.put(r.id(), r);
      }
      records.put(r.id(), r);
      index.add(r.id());
      try {
        names.reserve(r.spec().metadata().reservationKey(), r.id());
      } catch (KonaException e) {
        LOG.error("pod sandbox {}: {}", r.id(), e.getMessage());
      }
    }
    if (!records.isEmpty()) {
      LOG.info("restored {} pod sandboxes", records.size());
    }
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
