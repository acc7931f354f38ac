package dev.kona.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kona.cni.CniModule;
import dev.kona.image.ImageModule;
import dev.kona.engine.NativeEngine;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.engine.plan.HostFacts;
import dev.kona.common.error.UnavailableException;
import dev.kona.linux.systemd.SystemdManager;
import dev.kona.runtime.CgroupDriver;
import dev.kona.runtime.sandbox.EnginePodPidNamespaces;
import dev.kona.linux.seccomp.RuntimeDefaultProfile;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.runtime.spec.CapabilityPolicy;
import dev.kona.metrics.GrpcMetrics;
import dev.kona.metrics.HostPort;
import dev.kona.metrics.KonaMeters;
import dev.kona.metrics.MetricsServer;
import dev.kona.runtime.RuntimeHandlers;
import dev.kona.runtime.RuntimeInfo;
import dev.kona.runtime.RuntimeModule;
import dev.kona.server.config.ConfigException;
import dev.kona.server.config.ConfigRedaction;
import dev.kona.server.config.KonaConfig;
import dev.kona.server.grpc.CallInterceptor;
import dev.kona.server.grpc.CriServer;
import dev.kona.server.streaming.StreamingServer;
import dev.kona.server.wiring.Engines;
import dev.kona.server.wiring.RuntimeStreaming;
import dev.kona.server.wiring.ServerStreamUrls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Assembles the modules into a running daemon and takes it down again. Start-up order: instance
 * lock, directories, meters, modules, metrics endpoint, CRI socket last (so a kubelet that connects
 * finds everything ready). Shutdown closes in reverse and never stops containers.
 */
public final class Daemon {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  /** Exit codes of {@code kona daemon}. */
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_ALREADY_RUNNING = 3;

  /** Reads the config again, from the same file and flags, for SIGHUP. */
  @FunctionalInterface
  public interface Reloader {
    KonaConfig load() throws ConfigException;
  }

  private volatile KonaConfig config;
  private final Reloader reloader;
  private ImageModule imageModule;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private CriServer criServer;

  public Daemon(KonaConfig config) {
    this(config, null);
  }

  public Daemon(KonaConfig config, Reloader reloader) {
    this.config = config;
    this.reloader = reloader;
  }

  /** Runs until SIGTERM or SIGINT; returns the process exit code. */
  public int run() {
    try {
      int started = start();
      if (started != EXIT_OK) {
        return started;
      }
      Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
      Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
      if (reloader != null) {
        // Inherited as ignored (nohup), SIGHUP would stay ignored: the JVM installs no handler then.
        dev.kona.linux.syscall.SignalDispositions.reset(dev.kona.linux.syscall.Signal.SIGHUP);
        Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().name("reload").start(this::reload));
      }
      stopRequested.await();
      LOG.info("stopping: no new calls accepted; in-flight calls have {} s", config.shutdownTimeoutSeconds());
      criServer.shutdown(Duration.ofSeconds(config.shutdownTimeoutSeconds()));
      criServer = null;
      closeAll();
      LOG.info("stopped");
      return EXIT_OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAll();
      return EXIT_FAILURE;
    } catch (Exception e) {
      LOG.error("Kona failed: {}", e.getMessage(), e);
      closeAll();
      return EXIT_FAILURE;
    }
  }

  private int start() throws Exception {
    Path runRoot = config.runRootPath();
    PrivateRoots.prepare(config.stateRootPath(), runRoot, config.socketPath(), config.containersRootPath());
    InstanceLock lock = InstanceLock.tryAcquire(runRoot);
    if (lock == null) {
      LOG.error(
          "another Kona (pid {}) is running with run root {}; stop it first or choose another --run_root",
          InstanceLock.holder(runRoot), runRoot);
      return EXIT_ALREADY_RUNNING;
    }
    opened.push(lock);
    try {
      StateFormat.open(config.stateRootPath(), BuildInfo.version());
    } catch (StateFormat.Refused e) {
      LOG.error("{}", e.getMessage());
      closeAll();
      return EXIT_CONFIG;
    }
    SystemdManager systemd = null;
    if (config.cgroupDriver() == CgroupDriver.SYSTEMD) {
      try {
        systemd = SystemdManager.connect();
      } catch (UnavailableException e) {
        LOG.error("cgroup_driver = \"systemd\", but systemd does not answer on the system bus ({}); "
            + "run Kona under systemd with D-Bus, or set cgroup_driver = \"cgroupfs\" on a host without systemd",
            e.getMessage());
        closeAll();
        return EXIT_CONFIG;
      }
      opened.push(systemd);
      LOG.info("cgroup driver systemd: systemd {} on the system bus", systemd.version());
    }

    KonaMeters meters = new KonaMeters();
    opened.push(meters);
    ImageModule images;
    try {
      images = ImageModule.open(config.images(), config.stateRootPath(), config.containersRootPath(), meters.registry());
    } catch (dev.kona.common.error.FailedPreconditionException e) {
      LOG.error("config: {}", e.getMessage());
      closeAll();
      return EXIT_CONFIG;
    }
    opened.push(images);
    imageModule = images;
    CniModule cni = CniModule.open(config.cni(), config.stateRootPath(), meters.registry());
    HostFacts host = HostFacts.read();
    ServerStreamUrls streamUrls = new ServerStreamUrls();
    NativeEngine engine = Engines.nativeEngine(config, host, systemd);
    RuntimeHandlers handlers;
    try {
      handlers = Engines.handlers(config, engine);
    } catch (ConfigException e) {
      LOG.error("config: {}", e.getMessage());
      closeAll();
      return EXIT_CONFIG;
    }
    RuntimeModule runtime =
        RuntimeModule.open(
            new RuntimeModule.Setup(
                new RuntimeInfo(BuildInfo.version()),
                config.cgroupDriver(),
                config.stateRootPath(),
                config.runRootPath(),
                LinuxSyscalls.get(),
                cni,
                images.images(),
                handlers,
                new EnginePodPidNamespaces(engine.podInits()),
                CgroupManager.detect(),
                CapabilityPolicy.fromMask(host.boundingCapabilities()),
                RuntimeDefaultProfile::forCapabilities,
                streamUrls,
                () -> Map.of("config", effectiveConfigJson()),
                meters.registry(),
                CriServer.MAX_MESSAGE_BYTES,
                systemd,
                handlers.find(RuntimeHandlers.DEFAULT).orElseThrow().features().userNamespaces() ? engine.shim() : null,
                config.cdiSpecDirs().stream().map(java.nio.file.Path::of).toList()));
    opened.push(runtime);
    StreamingServer streaming = new StreamingServer(config.streaming(),
        new RuntimeStreaming(runtime.containers(), runtime.sandboxes(), LinuxSyscalls.get()), meters.registry());
    streaming.start();
    opened.push(streaming);
    streamUrls.serveWith(streaming);
    // CNI GC releases attachments of sandboxes that died with an earlier daemon; plugins can be slow,
    // so it runs beside start-up rather than in front of the socket.
    java.util.Set<String> live = runtime.sandboxes().all().stream()
        .map(dev.kona.runtime.sandbox.SandboxRecord::id).collect(java.util.stream.Collectors.toSet());
    Thread.ofVirtual().name("cni-gc").start(() -> {
      try {
        cni.gc(live);
      } catch (RuntimeException e) {
        LOG.warn("CNI garbage collection at start-up failed: {}", e.getMessage());
      }
    });

    if (config.metrics().enabled()) {
      opened.push(MetricsServer.start(HostPort.parse(config.metrics().address(), "metrics.address"), meters));
    }

    CallInterceptor interceptor = new CallInterceptor(new GrpcMetrics(meters.registry()));
    try {
      criServer =
          CriServer.start(config.socketPath(), List.of(runtime.criService(), images.criService()), interceptor);
    } catch (CriServer.SocketUnavailableException e) {
      LOG.error("{}", e.getMessage());
      closeAll();
      return e.anotherServer() ? EXIT_ALREADY_RUNNING : EXIT_CONFIG;
    }
    LOG.info("Kona {} ready on unix://{}", BuildInfo.version(), config.socketPath());
    return EXIT_OK;
  }

  /** SIGHUP: what can change without a restart does; the rest is logged as needing one. */
  private synchronized void reload() {
    KonaConfig next;
    try {
      next = reloader.load();
    } catch (ConfigException e) {
      LOG.error("reload (SIGHUP): {}; nothing changed", e.getMessage());
      return;
    } catch (RuntimeException e) {
      LOG.error("reload (SIGHUP): {}; nothing changed", e.toString());
      return;
    }
    config = ConfigReload.apply(config, next, imageModule.images());
    LOG.info("reload (SIGHUP) done");
  }

  private String effectiveConfigJson() {
    try {
      ObjectMapper json = new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);
      return json.writeValueAsString(ConfigRedaction.redact(json.valueToTree(config)));
    } catch (IOException e) {
      return "{}";
    }
  }

  private void closeAll() {
    if (criServer != null) {
      criServer.close();
      criServer = null;
    }
    while (!opened.isEmpty()) {
      AutoCloseable c = opened.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
