package dev.kona.conformance.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import dev.kona.cri.api.v1.VersionRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's dashboard and alert rules ({@code packaging/grafana/kona.json},
 * {@code packaging/prometheus/kona-rules.yml}) name only metrics a real daemon exports, after it
 * has served calls, failed a pull, failed a CNI plugin and run a pod; and promtool accepts the
 * rules and passes their alert unit tests ({@code kona-rules.test.yml}).
 */
class MonitoringRulesTest {

  private static final Path REPO = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
  private static final Path RULES = REPO.resolve("packaging/prometheus/kona-rules.yml");
  private static final Path RULE_TESTS = REPO.resolve("packaging/prometheus/kona-rules.test.yml");
  private static final Path DASHBOARD = REPO.resolve("packaging/grafana/kona.json");
  /** Kona's own metrics and Micrometer's JVM/process/system ones; {@code up} and recorded series are Prometheus's. */
  private static final Pattern METRIC = Pattern.compile("(?<![\\w:])((?:kona|jvm|process|system)_[A-Za-z0-9_]+)");

  @TempDir Path root;

  @Test
  void rulesAndDashboard_nameOnlyMetricsTheDaemonExports() throws Exception {
    Path bin = Files.createDirectories(root.resolve("cni-bin"));
    Path failing = bin.resolve("kona-test-fail");
    Files.writeString(failing, """
        #!/bin/sh
        echo '{"cniVersion":"1.0.0","code":100,"msg":"kona-test-fail always fails"}'
        exit 1
        """);
    Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = Files.createDirectories(root.resolve("cni/net.d"));
    Files.writeString(conf.resolve("10-fail.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"kona-test-fail\",\"plugins\":[{\"type\":\"loopback\"},{\"type\":\"kona-test-fail\"}]}");
    String toml = "[cni]\nbin_dirs = [\"" + bin + "\", \"/usr/lib/cni\", \"/opt/cni/bin\"]\n";

    Set<String> exported;
    try (KonaDaemon kona = KonaDaemon.startWithConfig(root, toml)) {
      kona.runtime().version(VersionRequest.getDefaultInstance());
      // a pull that fails: nothing listens on this loopback port
      int closed = KonaDaemon.freePort();
      assertThrows(StatusRuntimeException.class, () -> kona.images().pullImage(PullImageRequest.newBuilder()
          .setImage(ImageSpec.newBuilder().setImage("127.0.0.1:" + closed + "/kona/none:1")).build()));
      // a pod whose network fails (CNI plugin errors), then one on the host network (lifecycle steps)
      assertThrows(StatusRuntimeException.class, () -> kona.runtime().runPodSandbox(
          RunPodSandboxRequest.newBuilder().setConfig(pod("net-fails", false)).build()));
      String id = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod("host-net", true)).build())
          .getPodSandboxId();
      kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
      kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());

      PrometheusScrape scrape = PrometheusScrape.scrape(kona.metricsPort());
      exported = new TreeSet<>(scrape.types().keySet());
      scrape.samples().forEach(s -> exported.add(s.name()));
      kona.removeAllPods();
    }
    assertTrue(exported.contains("kona_cni_plugin_errors_total"), "the failing plugin was counted: " + exported);
    assertTrue(exported.contains("kona_image_pull_failures_total"), "the failed pull was counted: " + exported);

    Map<String, Set<String>> named = new TreeMap<>();
    named.put(RULES.toString(), referencedInRules(Files.readString(RULES)));
    named.put(DASHBOARD.toString(), referencedInDashboard(Files.readString(DASHBOARD)));
    assertTrue(named.get(RULES.toString()).containsAll(Set.of("kona_grpc_requests_total",
        "kona_grpc_request_duration_seconds_bucket", "kona_image_pull_failures_total", "kona_cni_plugin_errors_total",
        "kona_container_event_subscribers_dropped_total", "jvm_memory_used_bytes")), named.toString());
    assertTrue(named.get(DASHBOARD.toString()).size() >= 25, named.toString());

    List<String> unknown = new ArrayList<>();
    named.forEach((file, names) -> names.stream().filter(n -> !exported.contains(n))
        .forEach(n -> unknown.add(file + ": " + n)));
    assertEquals(List.of(), unknown, "metrics Kona does not export; it exports " + exported);
  }

  @Test
  void metricNames_foundInExpressions_notInRecordedNamesOrLabels() {
    Set<String> names = referencedInRules("""
        # kona_in_a_comment_is_ignored
        - record: kona:grpc_errors:ratio_rate5m
          expr: |
            sum by (instance) (rate(kona_no_such_metric_total{code="INTERNAL"}[5m]))
            / kona:other:rate5m > 0
          annotations:
            summary: "kona_in_prose is ignored"
        """);
    assertEquals(Set.of("kona_no_such_metric_total"), names);
    assertEquals(Set.of("jvm_memory_used_bytes"),
        referencedInDashboard("{\"panels\":[{\"title\":\"kona_x\",\"targets\":[{\"expr\":\"sum(jvm_memory_used_bytes)\"}]}]}"));
  }

  @Test
  void promtool_checksRules_andPassesTheAlertUnitTests() throws Exception {
    String check = promtool("check", "rules", RULES.toString());
    assertTrue(check.contains("SUCCESS"), check);
    String test = promtool("test", "rules", RULE_TESTS.getFileName().toString());
    assertTrue(test.contains("SUCCESS"), test);
  }

  @Test
  void dashboard_everyPanelHasAQueryAndAUniqueId() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertEquals("kona-runtime", dashboard.get("uid").asText());
    Set<Integer> ids = new TreeSet<>();
    int queries = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      assertTrue(ids.add(panel.get("id").asInt()), "duplicate panel id " + panel.get("id"));
      if (panel.get("type").asText().equals("row")) {
        continue;
      }
      assertFalse(panel.get("targets").isEmpty(), panel.get("title").asText());
      for (JsonNode t : panel.get("targets")) {
        assertFalse(t.get("expr").asText().isBlank(), panel.get("title").asText());
        queries++;
      }
    }
    assertTrue(queries >= 30, "queries: " + queries);
  }

  /** Names in the rules' expressions; comments and the alerts' texts (summary, description) are prose. */
  static Set<String> referencedInRules(String yaml) {
    Set<String> names = new TreeSet<>();
    yaml.lines().map(String::strip)
        .filter(l -> !l.startsWith("#") && !l.startsWith("summary:") && !l.startsWith("description:"))
        .forEach(l -> {
          Matcher m = METRIC.matcher(l);
          while (m.find()) {
            names.add(m.group(1));
          }
        });
    return names;
  }

  static Set<String> referencedInDashboard(String json) {
    Set<String> names = new TreeSet<>();
    try {
      for (JsonNode expr : new ObjectMapper().readTree(json).findValues("expr")) {
        Matcher m = METRIC.matcher(expr.asText());
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new AssertionError("dashboard JSON: " + e.getMessage(), e);
    }
    return names;
  }

  private static PodSandboxConfig pod(String name, boolean hostNetwork) {
    LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder();
    if (hostNetwork) {
      linux.setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
          .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE)));
    }
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default")
            .setUid(UUID.randomUUID().toString()))
        .setLinux(linux)
        .build();
  }

  /** Runs promtool from the rules' directory; it is installed by scripts/test.sh (ensure_promtool). */
  private static String promtool(String... args) throws Exception {
    Path promtool = Set.of("/usr/local/bin/promtool", "/usr/bin/promtool").stream().map(Path::of)
        .filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new AssertionError("promtool is not installed; scripts/test.sh installs it (ensure_promtool "
            + "in scripts/lib.sh, from Debian's prometheus package)"));
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(RULES.getParent().toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "promtool did not finish: " + out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }
}
