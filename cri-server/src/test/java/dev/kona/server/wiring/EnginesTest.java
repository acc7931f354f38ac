package dev.kona.server.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.engine.ContainerEngine;
import dev.kona.oci.runc.OciRuntimeEngine;
import dev.kona.runtime.RuntimeHandlers;
import dev.kona.server.config.ConfigException;
import dev.kona.server.config.ConfigLoader;
import dev.kona.server.config.KonaConfig;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handlers from the config: one engine each, and a clear start-up error when a binary is missing. */
class EnginesTest {

  @TempDir Path dir;

  /** Stands in for the native engine, which these tests never call. */
  private final ContainerEngine nativeEngine = (ContainerEngine) Proxy.newProxyInstance(
      ContainerEngine.class.getClassLoader(), new Class<?>[] {ContainerEngine.class},
      (proxy, method, args) -> {
        throw new UnsupportedOperationException(method.getName());
      });

  private KonaConfig config(String toml) throws Exception {
    Path file = dir.resolve("kona.toml");
    Files.writeString(file, toml);
    return new ConfigLoader().load(file, Map.of("run_root", dir.resolve("run").toString()));
  }

  @Test
  void handlers_defaultPlusOneEnginePerConfiguredHandler() throws Exception {
    KonaConfig config = config("""
        [runtime.handlers.runc]
        engine = "runc"
        [runtime.handlers.fast]
        engine = "crun"
        """);
    RuntimeHandlers handlers = Engines.handlers(config, nativeEngine);

    assertEquals(java.util.List.of("", "runc", "fast"), handlers.all().stream().map(RuntimeHandlers.Handler::name).toList());
    assertSame(nativeEngine, handlers.find("").orElseThrow().engine());
    assertSame(nativeEngine, handlers.find("kona").orElseThrow().engine());
    assertEquals("runc", handlers.find("runc").orElseThrow().engine().name());
    assertEquals("crun", handlers.find("fast").orElseThrow().engine().name());
    assertEquals(java.util.Optional.empty(), handlers.find("gvisor"));
    // Asked of the installed binaries: Debian's runc 1.1.5 lists "rro" in `runc features`; crun
    // 1.8.1 has no features subcommand, so nothing is claimed for it (as containerd does).
    assertEquals(new RuntimeHandlers.Features(true, false), handlers.find("runc").orElseThrow().features());
    assertEquals(RuntimeHandlers.Features.NONE, handlers.find("fast").orElseThrow().features());
  }

  @Test
  void missingBinary_isAConfigErrorNamingTheKey() throws Exception {
    KonaConfig config = config("[runtime.handlers.r]\nengine = \"runc\"\nbinary = \"" + dir.resolve("no-runc") + "\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> Engines.handlers(config, nativeEngine));
    assertEquals("key \"runtime.handlers.r.binary\": runc is not installed at " + dir.resolve("no-runc")
        + "; install it or set the path", e.getMessage());
  }

  @Test
  void missingConmon_isAConfigErrorNamingTheHandler() throws Exception {
    KonaConfig config = config("[runtime.handlers.c]\nengine = \"crun\"\n");
    Path conmon = dir.resolve("no-conmon");
    ConfigException e = assertThrows(ConfigException.class, () -> Engines.handlers(config, nativeEngine, conmon));
    assertEquals("key \"runtime.handlers.c\": crun runs under conmon, which is not installed at " + conmon
        + " (Debian package conmon)", e.getMessage());
    assertEquals(Path.of("/usr/bin/conmon"), OciRuntimeEngine.CONMON);
  }

  @Test
  void handlerRuntime_systemdDriver_getsSystemdCgroupFlag() throws Exception {
    KonaConfig systemd = config("cgroup_driver = \"systemd\"\n[runtime.handlers.r]\nengine = \"runc\"\n");
    KonaConfig cgroupfs = config("[runtime.handlers.r]\nengine = \"runc\"\n");
    var handler = systemd.runtime().handlers().get("r");
    assertEquals(java.util.List.of("--systemd-cgroup"),
        Engines.ociRuntime(systemd, handler, dir.resolve("h")).globalArgs());
    assertEquals(java.util.List.of(), Engines.ociRuntime(cgroupfs, handler, dir.resolve("h")).globalArgs());
  }

  @Test
  void runscHandler_getsPlatformAndNetworkFlags_andNoFeatures() throws Exception {
    KonaConfig config = config("[runtime.handlers.gvisor]\nengine = \"runsc\"\nnetwork = \"none\"\n");
    var handler = config.runtime().handlers().get("gvisor");
    var runtime = Engines.ociRuntime(config, handler, dir.resolve("h"));
    assertEquals("runsc", runtime.name());
    assertEquals(Path.of("/usr/bin/runsc"), runtime.binary());
    assertEquals(java.util.List.of("--platform=ptrace", "--network=none"), runtime.globalArgs());
    KonaConfig systemd = config("cgroup_driver = \"systemd\"\n[runtime.handlers.gvisor]\nengine = \"runsc\"\n");
    assertEquals(java.util.List.of("--platform=ptrace", "--network=host", "--systemd-cgroup"),
        Engines.ociRuntime(systemd, systemd.runtime().handlers().get("gvisor"), dir.resolve("h")).globalArgs());
  }
}
