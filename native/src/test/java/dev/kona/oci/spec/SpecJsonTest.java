package dev.kona.oci.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecJsonTest {

  private static String fixture() throws IOException {
    try (InputStream in = SpecJsonTest.class.getResourceAsStream("cri-container-config.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void parse_realisticConfig_roundTripsEveryField() throws IOException {
    String original = fixture();
    Spec spec = SpecJson.parse(original);
    String written = SpecJson.toJson(spec);

    JsonNode expected = SpecJson.mapper().readTree(original);
    JsonNode actual = SpecJson.mapper().readTree(written);
    assertEquals(expected, actual);
    assertEquals(spec, SpecJson.parse(written));
  }

  @Test
  void parse_realisticConfig_readsFieldsUnderSpecNames() throws IOException {
    Spec spec = SpecJson.parse(fixture());

    assertEquals("1.2.0", spec.ociVersion());
    assertEquals(List.of(1000L, 10L, 4294967294L), spec.process().user().additionalGids());
    assertEquals(-1L, spec.process().rlimits().get(1).hard(), "RLIM_INFINITY as all ones");
    assertEquals(999, spec.process().oomScoreAdj());
    assertTrue(spec.process().noNewPrivileges());
    assertEquals(List.of("CAP_NET_BIND_SERVICE"), spec.process().capabilities().ambient());
    assertEquals("/run/kona/ns/4f1c/net", spec.linux().namespace(LinuxNamespace.NETWORK).path());
    assertEquals(null, spec.linux().namespace(LinuxNamespace.PID).path());
    assertEquals(100000L, spec.linux().uidMappings().getFirst().hostId());
    assertEquals(512L, spec.linux().resources().cpu().shares());
    assertEquals("0-1", spec.linux().resources().cpu().cpus());
    assertEquals(268435456L, spec.linux().resources().memory().limit());
    assertFalse(spec.linux().resources().memory().disableOomKiller());
    assertEquals(1024L, spec.linux().resources().pids().limit());
    assertEquals("2MB", spec.linux().resources().hugepageLimits().getFirst().pageSize());
    assertEquals("1", spec.linux().resources().unified().get("memory.oom.group"));
    assertEquals(300L, spec.linux().resources().blockIo().throttleWriteIopsDevice().getFirst().rate());
    assertEquals("kubepods-burstable-pod4f1c.slice:cri-kona:c0ffee", spec.linux().cgroupsPath());
    assertEquals("0", spec.linux().sysctl().get("net.ipv4.ip_unprivileged_port_start"));
    assertEquals(4294967295L, spec.linux().seccomp().syscalls().get(1).args().getFirst().value());
    assertEquals(38, spec.linux().seccomp().syscalls().get(3).errnoRet());
    assertEquals("rslave", spec.linux().rootfsPropagation());
    assertEquals(438, spec.linux().devices().getFirst().fileMode());
    assertEquals("4f1c9a", spec.annotations().get("io.kubernetes.cri.sandbox-id"));
  }

  @Test
  void toJson_minimalSpec_omitsEmptyFieldsButKeepsRequiredOnes() throws IOException {
    Spec spec =
        new Spec(Spec.VERSION, Process.of(User.of(0, 0), List.of("/bin/true"), null, "/"),
            new Root("rootfs", false), null, null, null, null, null, null);

    JsonNode json = SpecJson.mapper().readTree(SpecJson.toJson(spec));

    assertEquals(Spec.VERSION, json.get("ociVersion").asText());
    assertEquals("/", json.get("process").get("cwd").asText());
    assertEquals(0, json.get("process").get("user").get("uid").asInt());
    assertFalse(json.has("mounts"), "empty mounts omitted");
    assertFalse(json.has("annotations"));
    assertFalse(json.get("process").has("env"));
    assertFalse(json.has("linux"));
  }

  @Test
  void parse_unsignedMax_andValueTwoZero() {
    Spec spec = SpecJson.parse("""
        {"ociVersion":"1.2.0","linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
          {"names":["x"],"action":"SCMP_ACT_ERRNO",
           "args":[{"index":1,"value":18446744073709551615,"valueTwo":0,"op":"SCMP_CMP_NE"}]}]}}}""");
    SeccompArg arg = spec.linux().seccomp().syscalls().getFirst().args().getFirst();
    assertEquals(-1L, arg.value());
    assertTrue(SpecJson.toJson(spec).contains("18446744073709551615"));
  }

  @Test
  void collections_areImmutableAndNeverNull() {
    Spec spec = SpecJson.parse("{\"ociVersion\":\"1.2.0\"}");
    assertEquals(List.of(), spec.mounts());
    assertEquals(Map.of(), spec.annotations());
    assertThrows(UnsupportedOperationException.class, () -> spec.mounts().add(null));
  }

  @Test
  void parse_malformed_isInvalidArgument() {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class,
            () -> SpecJson.parse("{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":7}}"));
    assertTrue(e.getMessage().startsWith("parse OCI runtime spec"), e.getMessage());
  }

  @Test
  void writeThenRead_bundleDir(@TempDir Path bundle) throws IOException {
    Spec spec = SpecJson.parse(fixture());

    Path file = SpecJson.write(bundle, spec);

    assertEquals(bundle.resolve("config.json"), file);
    assertFalse(Files.exists(bundle.resolve("config.json.tmp")));
    assertEquals(spec, SpecJson.read(bundle));
  }

  @Test
  void read_missingFile_isNotFound(@TempDir Path bundle) {
    assertThrows(NotFoundException.class, () -> SpecJson.read(bundle));
  }
}
