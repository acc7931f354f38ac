package dev.kona.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kona.cni.cache.CachedAttachment;
import dev.kona.cni.cache.ResultCache;
import dev.kona.cni.chain.AddNetwork;
import dev.kona.cni.chain.CheckNetwork;
import dev.kona.cni.chain.DelNetwork;
import dev.kona.cni.chain.GcNetwork;
import dev.kona.cni.chain.StatusNetwork;
import dev.kona.cni.chain.VersionCheck;
import dev.kona.cni.config.CniConfig;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.NetworkConfigSource;
import dev.kona.cni.config.NetworkSelection;
import dev.kona.cni.exec.CniMetrics;
import dev.kona.cni.exec.ForkedPluginProcess;
import dev.kona.cni.exec.OrphanedPlugins;
import dev.kona.cni.exec.PluginInvoker;
import dev.kona.cni.exec.PluginLocator;
import dev.kona.cni.exec.PluginProcess;
import dev.kona.cni.exec.RuntimeArgs;
import dev.kona.cni.result.ResultTranslator;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.KonaException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI runtime as the daemon assembles it: network config from {@code conf_dir}, plugins from
 * {@code bin_dirs}, results cached under the cache dir. Open once at start-up; it holds no
 * resources to close. All operations attach interface {@value #IF_NAME}.
 */
public final class CniModule implements PodNetworks {

  public static final String IF_NAME = "eth0";
  private static final Logger log = LoggerFactory.getLogger(CniModule.class);
  /** STATUS runs plugins; the kubelet asks every few seconds, so an answer is reused this long. */
  private static final Duration STATUS_TTL = Duration.ofSeconds(5);
  /** How long start-up waits for a killed orphaned plugin to be gone. */
  private static final Duration ORPHAN_EXIT_WAIT = Duration.ofSeconds(10);

  private final NetworkConfigSource configs;
  private final PluginInvoker invoker;
  private final CniMetrics metrics;
  private final ResultCache cache;
  private final AddNetwork add;
  private final DelNetwork del;
  private final CheckNetwork check;
  private final StatusNetwork statusProbe;
  private final VersionCheck versionCheck;
  private final GcNetwork gc;
  /** Setups and teardowns share it; GC takes it exclusively, as the spec requires. */
  private final ReadWriteLock gcLock = new ReentrantReadWriteLock();
  private final Lock[] sandboxLocks = new Lock[64];
  private volatile CachedStatus lastStatus;

  private record CachedStatus(NetworkConfigList network, long atNanos, NetworkStatus status) {}

  private CniModule(CniConfig config, Path cacheDir, PluginProcess process, MeterRegistry meters) {
    this.configs = new NetworkConfigSource(config.confDir(), config.networkName());
    this.metrics = new CniMetrics(meters);
    this.invoker =
        new PluginInvoker(new PluginLocator(config.binDirs()), process, config.pluginTimeout(), metrics);
    this.cache = new ResultCache(cacheDir);
    this.add = new AddNetwork(invoker, cache);
    this.del = new DelNetwork(invoker, cache);
    this.check = new CheckNetwork(invoker, cache);
    this.statusProbe = new StatusNetwork(invoker);
    this.versionCheck = new VersionCheck(invoker);
    this.gc = new GcNetwork(invoker, cache, del);
    for (int i = 0; i < sandboxLocks.length; i++) {
      sandboxLocks[i] = new ReentrantLock();
    }
  }

  /**
   * @param stateRoot Kona's state root; the cache is {@code <stateRoot>/cni} unless cache_dir is set
   * @param meters where to publish meters, or null for a private registry ({@link #metrics()})
   */
  public static CniModule open(CniConfig config, Path stateRoot, MeterRegistry meters) {
    Path cacheDir = config.resolveCacheDir(stateRoot).toAbsolutePath();
    // Before any DEL of recovery or GC: an ADD a killed daemon left running must not finish after it.
    OrphanedPlugins.reap(cacheDir.toString(), ORPHAN_EXIT_WAIT);
    return new CniModule(config, cacheDir, new ForkedPluginProcess(cacheDir.toString()), meters);
  }

  public CniMetrics metrics() {
    return metrics;
  }

  @Override
  public PodNetworkResult setUp(PodNetworkRequest request) {
    String action = "set up network of sandbox " + request.sandboxId();
    NetworkConfigList network = requireNetwork(action);
    Path netns = request.netnsPath();
    if (netns == null || !Files.exists(netns)) {
      // The spec wants the netns made before any plugin runs; without it ADD cannot work.
      throw new FailedPreconditionException(action + ": netns " + netns + " does not exist");
    }
    RuntimeArgs args = runtimeArgs(request, netns.toString());
    return timed("setup", () -> locked(request.sandboxId(), () -> add(action, network, args)));
  }

  private PodNetworkResult add(String action, NetworkConfigList network, RuntimeArgs args) {
    JsonNode raw;
    try {
      invoker.requireBinaries(network);
      raw = add.run(network, args);
    } catch (KonaException e) {
      undo(network, args, e);
      throw e.withContext(action);
    }
    PodNetworkResult result = PodNetworkResult.from(ResultTranslator.toDomain(raw, network.cniVersion()));
    log.debug("{}: network {} gave {}", action, network.name(), result.ips());
    return result;
  }

  /**
   * A failed ADD must still be followed by DEL (spec, section 3); a DEL failure is secondary. If
   * nothing was cached, no plugin ran (a binary was missing) and there is nothing to undo.
   */
  private void undo(NetworkConfigList network, RuntimeArgs args, KonaException cause) {
    if (cache.get(network.name(), args.containerId(), args.ifName()).isEmpty()) {
      return;
    }
    try {
      del.run(network, network.name(), args);
    } catch (KonaException e) {
      log.warn("undo failed CNI ADD of {}: {}", args.containerId(), e.getMessage());
      cause.addSuppressed(e);
    }
  }

  @Override
  public void tearDown(PodNetworkRequest request) {
    String action = "tear down network of sandbox " + request.sandboxId();
    NetworkConfigList network = currentNetwork();
    RuntimeArgs args;
    try {
      args = runtimeArgs(request, netnsOf(request));
    } catch (KonaException e) {
      // A bad annotation failed setUp already; it must not also make teardown fail forever.
      log.warn("{}: ignore capability args: {}", action, e.getMessage());
      args = runtimeArgs(PodNetworkRequest.of(request.sandboxId(), request.netnsPath()), netnsOf(request));
    }
    RuntimeArgs delArgs = args;
    timed(
        "teardown",
        () ->
            locked(
                request.sandboxId(),
                () -> {
                  try {
                    del(network, delArgs);
                  } catch (KonaException e) {
                    throw e.withContext(action);
                  }
                  return null;
                }));
  }

  /**
   * DEL of every network the cache says this sandbox is attached to, each with the config ADD used;
   * with no cache entry, DEL on the current network anyway so that IPAM releases the address.
   */
  private void del(NetworkConfigList network, RuntimeArgs args) {
    List<CachedAttachment> cached = cache.find(args.containerId(), args.ifName());
    for (CachedAttachment entry : cached) {
      boolean same = network != null && network.name().equals(entry.networkName());
      del.run(same ? network : null, entry.networkName(), args);
    }
    if (cached.isEmpty() && network != null) {
      del.run(network, network.name(), args);
    } else if (cached.isEmpty()) {
      log.info("DEL of {} skipped: no network config and no cached result", args.containerId());
    }
  }

  @Override
  public void check(PodNetworkRequest request) {
    NetworkConfigList network = requireNetwork("check network of sandbox " + request.sandboxId());
    RuntimeArgs args = runtimeArgs(request, netnsOf(request));
    timed(
        "check",
        () ->
            locked(
                request.sandboxId(),
                () -> {
                  check.run(network, args);
                  return null;
                }));
  }

  @Override
  public NetworkStatus status() {
    NetworkSelection selection = configs.current();
    if (selection instanceof NetworkSelection.Missing missing) {
      return NetworkStatus.notReady(missing.reason());
    }
    NetworkConfigList network = ((NetworkSelection.Found) selection).network();
    CachedStatus last = lastStatus;
    if (last != null
        && last.network() == network
        && System.nanoTime() - last.atNanos() < STATUS_TTL.toNanos()) {
      return last.status();
    }
    NetworkStatus status = probe(network);
    lastStatus = new CachedStatus(network, System.nanoTime(), status);
    return status;
  }

  private NetworkStatus probe(NetworkConfigList network) {
    try {
      invoker.requireBinaries(network);
      versionCheck.run(network);
    } catch (KonaException e) {
      return NetworkStatus.notReady(e.getMessage());
    }
    try {
      timed(
          "status",
          () -> {
            statusProbe.run(network);
            return null;
          });
      return NetworkStatus.ok();
    } catch (KonaException e) {
      return NetworkStatus.notReady(e.getMessage());
    }
  }

  @Override
  public void gc(Set<String> liveSandboxIds) {
    Set<GcNetwork.Attachment> valid =
        liveSandboxIds.stream()
            .map(id -> new GcNetwork.Attachment(id, IF_NAME))
            .collect(Collectors.toUnmodifiableSet());
    NetworkConfigList network = currentNetwork();
    gcLock.writeLock().lock();
    try {
      timed(
          "gc",
          () -> {
            gc.run(network, valid);
            return null;
          });
    } finally {
      gcLock.writeLock().unlock();
    }
  }

  private NetworkConfigList currentNetwork() {
    return configs.current() instanceof NetworkSelection.Found found ? found.network() : null;
  }

  private NetworkConfigList requireNetwork(String action) {
    NetworkSelection selection = configs.current();
    if (selection instanceof NetworkSelection.Missing missing) {
      throw new FailedPreconditionException(action + ": network not ready: " + missing.reason());
    }
    return ((NetworkSelection.Found) selection).network();
  }

  private static String netnsOf(PodNetworkRequest request) {
    Path netns = request.netnsPath();
    return netns != null && Files.exists(netns) ? netns.toString() : "";
  }

  private static RuntimeArgs runtimeArgs(PodNetworkRequest request, String netns) {
    List<Map.Entry<String, String>> cniArgs =
        List.of(
            Map.entry("IgnoreUnknown", "1"),
            Map.entry("K8S_POD_NAMESPACE", request.podNamespace()),
            Map.entry("K8S_POD_NAME", request.podName()),
            Map.entry("K8S_POD_INFRA_CONTAINER_ID", request.sandboxId()),
            Map.entry("K8S_POD_UID", request.podUid()));
    return new RuntimeArgs(request.sandboxId(), netns, IF_NAME, cniArgs, CapabilityArgs.of(request));
  }

  private <T> T locked(String sandboxId, Supplier<T> body) {
    gcLock.readLock().lock();
    Lock lock = sandboxLocks[Math.floorMod(sandboxId.hashCode(), sandboxLocks.length)];
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
      gcLock.readLock().unlock();
    }
  }

  private <T> T timed(String operation, Supplier<T> body) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T value = body.get();
      ok = true;
      return value;
    } finally {
      metrics.operation(operation, ok, Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
