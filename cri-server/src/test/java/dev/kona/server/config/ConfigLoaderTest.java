package dev.kona.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.runtime.CgroupDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  private Path file(String toml) throws IOException {
    Path f = dir.resolve("kona.toml");
    Files.writeString(f, toml);
    return f;
  }

  private String error(Path file, Map<String, String> flags) {
    return assertThrows(ConfigException.class, () -> loader.load(file, flags)).getMessage();
  }

  @Test
  void defaults_needNoFile() throws Exception {
    KonaConfig d = new ConfigLoader().load(null, Map.of());
    // /etc/kona/kona.toml is absent on test machines; the embedded defaults apply.
    assertEquals("/run/kona/kona.sock", d.socket());
    assertEquals("/var/lib/kona", d.stateRoot());
    assertEquals(CgroupDriver.CGROUPFS, d.cgroupDriver());
    assertEquals("info", d.log().level());
    assertTrue(d.metrics().enabled());
    assertEquals("127.0.0.1:9469", d.metrics().address());
  }

  @Test
  void file_overridesDefaults_andFlagsOverrideFile() throws Exception {
    Path f = file("socket = \"/tmp/x.sock\"\n[log]\nlevel = \"debug\"\n[metrics]\nenabled = false\n");
    KonaConfig c = loader.load(f, Map.of("log.level", "warn", "shutdown-timeout-seconds", "3"));
    assertEquals("/tmp/x.sock", c.socket());
    assertEquals("warn", c.log().level());
    assertFalse(c.metrics().enabled());
    assertEquals(3, c.shutdownTimeoutSeconds());
    assertEquals("/var/lib/kona", c.stateRoot(), "untouched keys keep their defaults");
  }

  @Test
  void cdiSpecDirs_defaultsAndFlag() throws Exception {
    assertEquals(java.util.List.of("/etc/cdi", "/var/run/cdi"), loader.load(null, Map.of()).cdiSpecDirs());
    assertEquals(java.util.List.of("/srv/cdi", "/run/cdi"),
        loader.load(null, Map.of("cdi_spec_dirs", "/srv/cdi,/run/cdi")).cdiSpecDirs());
    String m = assertThrows(ConfigException.class, () -> loader.load(null, Map.of("cdi_spec_dirs", "cdi"))).getMessage();
    assertTrue(m.contains("cdi_spec_dirs"), m);
  }

  @Test
  void containersRoot_emptyByDefault_setByFlag_andMustStandApart() throws Exception {
    assertTrue(loader.load(null, Map.of()).containersRootPath().isEmpty(), "not split unless asked");
    assertEquals(java.util.Optional.of(Path.of("/srv/layers")),
        loader.load(null, Map.of("containers_root", "/srv/layers")).containersRootPath());
    for (String bad : java.util.List.of("layers", "/var/lib/kona", "/var/lib/kona/images/c", "/var", "/run/kona/x")) {
      String m = assertThrows(ConfigException.class, () -> loader.load(null, Map.of("containers_root", bad)),
          bad).getMessage();
      assertTrue(m.contains("containers_root") && m.contains(bad), m);
    }
  }

  @Test
  void syntaxError_namesFileAndLine() throws Exception {
    Path f = file("socket = \"/tmp/x.sock\"\n[log\nlevel = 1\n");
    String m = error(f, Map.of());
    assertTrue(m.startsWith("config " + f + ": line 2"), m);
    assertTrue(m.contains("syntax error"), m);
  }

  @Test
  void unknownKey_namesKeyAndExpectedOnes() throws Exception {
    Path f = file("[metrics]\nadress = \"127.0.0.1:1\"\n");
    assertEquals("config " + f + ": unknown key \"metrics.adress\"; expected one of: address, enabled", error(f, Map.of()));
  }

  @Test
  void wrongType_namesKeyAndExpectedType() throws Exception {
    Path f = file("[metrics]\nenabled = \"yes\"\n");
    String m = error(f, Map.of());
    assertTrue(m.startsWith("config " + f + ": key \"metrics.enabled\": expected true or false"), m);

    Path g = file("shutdown_timeout_seconds = \"ten\"\n");
    String n = error(g, Map.of());
    assertTrue(n.startsWith("config " + g + ": key \"shutdown_timeout_seconds\": expected an integer"), n);
  }

  @Test
  void badValue_namesKeyAndWhatIsAllowed() throws Exception {
    Path f = file("cgroup_driver = \"cgroupv3\"\n");
    String m = error(f, Map.of());
    assertTrue(m.contains("cgroup_driver"), m);
    assertTrue(m.contains("expected one of cgroupfs, systemd, got \"cgroupv3\""), m);

    String l = error(null, Map.of("log.level", "loud"));
    assertEquals("flag --log.level: key \"log.level\": expected one of error, warn, info, debug, trace, got \"loud\"", l);

    String a = error(null, Map.of("metrics.address", "localhost"));
    assertEquals("flag --metrics.address: key \"metrics.address\": expected host:port, got \"localhost\"", a);
  }

  @Test
  void relativePath_isRefused() {
    String m = error(null, Map.of("state_root", "var/lib/kona"));
    assertEquals("flag --state_root: key \"state_root\": must be an absolute path, got \"var/lib/kona\"", m);
  }

  @Test
  void namedFileMissing_isAnError() {
    Path missing = dir.resolve("nope.toml");
    assertEquals("config " + missing + ": file does not exist", error(missing, Map.of()));
  }

  @Test
  void unknownFlag_andBadFlagValue_areErrors() {
    assertEquals("flag --metrics.port: unknown key \"metrics.port\"; expected one of: address, enabled",
        error(null, Map.of("metrics.port", "1")));
    assertEquals("flag --sockets: unknown key; see `kona config default`", error(null, Map.of("sockets", "/x")));
    assertEquals("flag --metrics.enabled: expected true or false, got \"no\"", error(null, Map.of("metrics.enabled", "no")));
  }

  @Test
  void runtimeHandlers_fromTheFile_withDefaultsForBinaryAndRoot() throws Exception {
    assertEquals(Map.of(), loader.load(null, Map.of()).runtime().handlers(), "none unless configured");
    Path f = file("""
        [runtime.handlers.runc]
        engine = "runc"
        [runtime.handlers.fast]
        engine = "crun"
        binary = "/opt/crun/bin/crun"
        root = "/run/fast"
        """);
    KonaConfig c = loader.load(f, Map.of());
    assertEquals(List.of("runc", "fast"), List.copyOf(c.runtime().handlers().keySet()), "file order kept");
    RuntimeSection.Handler runc = c.runtime().handlers().get("runc");
    assertEquals(Path.of("/usr/sbin/runc"), runc.binaryPath());
    assertEquals(Path.of("/run/kona/handlers/runc/root"), runc.rootPath(Path.of("/run/kona/handlers/runc")));
    RuntimeSection.Handler fast = c.runtime().handlers().get("fast");
    assertEquals(Path.of("/opt/crun/bin/crun"), fast.binaryPath());
    assertEquals(Path.of("/run/fast"), fast.rootPath(Path.of("/run/kona/handlers/fast")));
    assertEquals(Path.of("/usr/bin/crun"), new RuntimeSection.Handler("crun", null, null).binaryPath());
  }

  @Test
  void runtimeHandlers_badEntries_nameTheKey() throws Exception {
    Path f = file("[runtime.handlers.gv]\nengine = \"gvisor\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.gv.engine\": expected runc, crun or runsc, got \"gvisor\"", error(f, Map.of()));

    f = file("[runtime.handlers.gv]\nbinary = \"/usr/bin/runsc\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.gv.engine\": missing; expected runc, crun or runsc", error(f, Map.of()));

    f = file("[runtime.handlers.r]\nengine = \"runc\"\nbinary = \"runc\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.r.binary\": must be an absolute path, got \"runc\"", error(f, Map.of()));

    f = file("[runtime.handlers.r]\nengine = \"runc\"\nroot = \"state\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.r.root\": must be an absolute path, got \"state\"", error(f, Map.of()));

    f = file("[runtime.handlers.r]\nengine = \"runc\"\nsystemd = true\n");
    assertEquals("config " + f + ": unknown key \"runtime.handlers.r.systemd\"; expected one of: binary, engine, network, platform, root",
        error(f, Map.of()));

    f = file("[runtime.handlers.kona]\nengine = \"runc\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.kona\": the name is reserved for Kona's own engine, the default handler",
        error(f, Map.of()));

    f = file("[runtime.handlers.Runc_1]\nengine = \"runc\"\n");
    assertTrue(error(f, Map.of()).startsWith("config " + f + ": key \"runtime.handlers\": \"Runc_1\" is not a handler name;"),
        error(f, Map.of()));

  }

  @Test
  void runtimeHandlers_runsc_withPlatformAndNetwork() throws Exception {
    Path f = file("""
        [runtime.handlers.gvisor]
        engine = "runsc"
        [runtime.handlers.gvisor-kvm]
        engine = "runsc"
        platform = "kvm"
        network = "sandbox"
        """);
    KonaConfig c = loader.load(f, Map.of());
    RuntimeSection.Handler gvisor = c.runtime().handlers().get("gvisor");
    assertEquals(Path.of("/usr/bin/runsc"), gvisor.binaryPath());
    assertEquals("ptrace", gvisor.platformOrDefault());
    assertEquals("host", gvisor.networkOrDefault());
    RuntimeSection.Handler kvm = c.runtime().handlers().get("gvisor-kvm");
    assertEquals("kvm", kvm.platformOrDefault());
    assertEquals("sandbox", kvm.networkOrDefault());

    f = file("[runtime.handlers.g]\nengine = \"runsc\"\nplatform = \"systrap2\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.g.platform\": expected ptrace or kvm, got \"systrap2\"",
        error(f, Map.of()));
    f = file("[runtime.handlers.g]\nengine = \"runsc\"\nnetwork = \"bridge\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.g.network\": expected sandbox, host or none, got \"bridge\"",
        error(f, Map.of()));
    f = file("[runtime.handlers.r]\nengine = \"runc\"\nplatform = \"ptrace\"\n");
    assertEquals("config " + f + ": key \"runtime.handlers.r.platform\": only a runsc (gVisor) handler takes it, this one is runc",
        error(f, Map.of()));
  }

  @Test
  void runtimeHandlers_withSystemdDriver_areAccepted() throws Exception {
    Path f = file("cgroup_driver = \"systemd\"\n[runtime.handlers.r]\nengine = \"runc\"\n");
    KonaConfig c = new ConfigLoader().load(f, Map.of());
    assertEquals(CgroupDriver.SYSTEMD, c.cgroupDriver());
    assertEquals(java.util.Set.of("r"), c.runtime().handlers().keySet());
  }

  @Test
  void runtimeHandlers_areFileOnly() {
    assertEquals("flag --runtime.handlers.runc.engine: unknown key; see `kona config default`",
        error(null, Map.of("runtime.handlers.runc.engine", "runc")));
  }

  @Test
  void defaultsText_isWhatTheLoaderReads() throws Exception {
    Path f = file(ConfigLoader.defaultsText());
    assertEquals(loader.load(null, Map.of()), loader.load(f, Map.of()));
  }
}
