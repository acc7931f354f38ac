package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.fixture.NodeCgroups;
import dev.kona.cri.api.v1.CgroupDriver;
import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ImageFsInfoResponse;
import dev.kona.cri.api.v1.CheckpointContainerRequest;
import dev.kona.cri.api.v1.NetworkConfig;
import dev.kona.cri.api.v1.RuntimeCondition;
import dev.kona.cri.api.v1.RuntimeConfig;
import dev.kona.cri.api.v1.RuntimeConfigRequest;
import dev.kona.cri.api.v1.StatusRequest;
import dev.kona.cri.api.v1.StatusResponse;
import dev.kona.cri.api.v1.UpdateRuntimeConfigRequest;
import dev.kona.cri.api.v1.VersionRequest;
import dev.kona.cri.api.v1.VersionResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RPCs every kubelet and critest call on connect, served by a real daemon over its socket. */
class CriFoundationTest {

  @TempDir static Path root;
  static KonaDaemon kona;

  @BeforeAll
  static void start() throws Exception {
    kona = KonaDaemon.start(root);
  }

  @AfterAll
  static void stop() throws Exception {
    kona.close();
  }

  @Test
  void version_fillsEveryField() {
    VersionResponse v = kona.runtime().version(VersionRequest.newBuilder().setVersion("v1").build());
    assertEquals("0.1.0", v.getVersion());
    assertEquals("kona", v.getRuntimeName());
    assertEquals("v1", v.getRuntimeApiVersion());
    assertFalse(v.getRuntimeVersion().isBlank(), "runtime_version");
  }

  @Test
  void status_reportsRuntimeAndNetworkConditions() {
    StatusResponse s = kona.runtime().status(StatusRequest.getDefaultInstance());
    Map<String, RuntimeCondition> byType =
        s.getStatus().getConditionsList().stream()
            .collect(Collectors.toMap(RuntimeCondition::getType, c -> c));
    assertEquals(List.of("RuntimeReady", "NetworkReady"),
        s.getStatus().getConditionsList().stream().map(RuntimeCondition::getType).toList());
    assertTrue(byType.get("RuntimeReady").getStatus());
    assertTrue(s.getInfoMap().isEmpty(), "info only with verbose");
  }

  @Test
  void status_verbose_carriesEffectiveConfigAsJson() throws IOException {
    StatusResponse s = kona.runtime().status(StatusRequest.newBuilder().setVerbose(true).build());
    JsonNode config = new ObjectMapper().readTree(s.getInfoOrThrow("config"));
    assertEquals(kona.socket().toString(), config.get("socket").asText());
    // The driver the fixture gave the daemon (systemd on the test node), not this host's default.
    assertEquals(NodeCgroups.systemdDriver() ? "systemd" : "cgroupfs", config.get("cgroup_driver").asText());
    assertEquals("debug", config.get("log").get("level").asText());
  }

  @Test
  void runtimeConfig_reportsCgroupDriver() {
    assertEquals(NodeCgroups.systemdDriver() ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS,
        kona.runtime().runtimeConfig(RuntimeConfigRequest.getDefaultInstance()).getLinux().getCgroupDriver());
  }

  @Test
  void updateRuntimeConfig_recordsPodCidr() {
    kona.runtime().updateRuntimeConfig(UpdateRuntimeConfigRequest.newBuilder()
        .setRuntimeConfig(RuntimeConfig.newBuilder()
            .setNetworkConfig(NetworkConfig.newBuilder().setPodCidr("10.244.1.0/24")))
        .build());
    StatusResponse s = kona.runtime().status(StatusRequest.newBuilder().setVerbose(true).build());
    assertEquals("10.244.1.0/24", s.getInfoOrThrow("podCIDR"));
  }

  @Test
  void rpcNotYetServed_isUnimplementedAndNamesTheMethod() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> kona.runtime().checkpointContainer(CheckpointContainerRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("CheckpointContainer"), e.getStatus().getDescription());
  }

  @Test
  void imageFsInfo_answersOnEmptyStore() {
    ImageFsInfoResponse fs = kona.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
    assertEquals(1, fs.getImageFilesystemsCount());
    assertTrue(fs.getImageFilesystems(0).getFsId().getMountpoint().startsWith(root.toString()),
        fs.getImageFilesystems(0).getFsId().getMountpoint());
    assertTrue(fs.getImageFilesystems(0).getTimestamp() > 0);
  }

  @Test
  void metricsEndpoint_countsCallsByMethodAndCode() throws Exception {
    kona.runtime().version(VersionRequest.getDefaultInstance());
    assertThrows(StatusRuntimeException.class,
        () -> kona.runtime().checkpointContainer(CheckpointContainerRequest.getDefaultInstance()));
    HttpResponse<String> scrape;
    try (HttpClient http = HttpClient.newHttpClient()) {
      scrape = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kona.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    assertEquals(200, scrape.statusCode());
    String text = scrape.body();
    assertTrue(text.matches("(?s).*kona_grpc_requests_total\\{code=\"OK\",method=\"runtime.v1.RuntimeService/Version\"} [1-9].*"), text);
    assertTrue(text.matches("(?s).*kona_grpc_request_duration_seconds_bucket\\{method=\"runtime.v1.RuntimeService/Version\",le=\"1.0E-4\"}.*"), text);
    assertTrue(text.contains(
        "kona_grpc_requests_total{code=\"UNIMPLEMENTED\",method=\"runtime.v1.RuntimeService/CheckpointContainer\"}"), text);
    assertTrue(text.contains("kona_grpc_requests_in_flight"), text);
    assertTrue(text.contains("jvm_memory_used_bytes"), text);
  }
}
