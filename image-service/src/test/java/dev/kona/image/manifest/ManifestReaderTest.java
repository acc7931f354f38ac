package dev.kona.image.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {

  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parse_dockerSchema2_readsConfigAndLayers() {
    Manifest m =
        ManifestReader.parse(
            "",
            bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.DOCKER_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":7},\"layers\":[{\"mediaType\":\""
                + MediaTypes.DOCKER_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":9}]}"));
    Manifest.Image image = assertInstanceOf(Manifest.Image.class, m);
    assertEquals(D1, image.config().digest().toString());
    assertEquals(9, image.layers().getFirst().size());
  }

  @Test
  void parse_untypedOciIndex_isRecognisedByShapeAndKeepsPlatforms() {
    Manifest m =
        ManifestReader.parse(
            "application/json",
            bytes("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1
                + "\",\"size\":3,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}}]}"));
    Manifest.Index index = assertInstanceOf(Manifest.Index.class, m);
    assertEquals("linux/arm/v7", index.manifests().getFirst().platform().orElseThrow().toString());
  }

  @Test
  void parse_schema1_isRefusedWithAClearMessage() {
    FailedPreconditionException e =
        assertThrows(
            FailedPreconditionException.class,
            () -> ManifestReader.parse(MediaTypes.DOCKER_SCHEMA1_SIGNED, bytes("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}")));
    assertTrue(e.getMessage().contains("schema 1"), e.getMessage());
  }

  @Test
  void parse_garbageOrUnknownType_isRefused() {
    assertThrows(InvalidArgumentException.class, () -> ManifestReader.parse("", bytes("not json")));
    assertThrows(
        FailedPreconditionException.class,
        () -> ManifestReader.parse("", bytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\"}")));
  }

  @Test
  void parseConfig_readsUserCommandVolumesAndDiffIds() {
    ImageRunConfig c =
        ManifestReader.parseConfig(
            bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"1000:1000\",\"Env\":[\"A=1\"],"
                + "\"Entrypoint\":[\"/e\"],\"Cmd\":[\"c\"],\"WorkingDir\":\"/w\",\"StopSignal\":\"SIGWINCH\","
                + "\"ExposedPorts\":{\"80/tcp\":{}},\"Volumes\":{\"/data\":{}}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D1 + "\"]}}"));
    assertEquals("1000:1000", c.user());
    assertEquals(java.util.List.of("/e"), c.entrypoint());
    assertEquals("SIGWINCH", c.stopSignal());
    assertEquals(java.util.List.of("80/tcp"), c.exposedPorts());
    assertEquals(java.util.List.of("/data"), c.volumes());
    assertEquals(D1, c.diffIds().getFirst().toString());
  }

  @Test
  void parseConfig_volumesOfATestKitImage_inOrder_andNoneWhenAbsent() {
    byte[] config = dev.kona.image.testing.TestImages.builder().layer(dev.kona.image.testing.TestImages.busyboxBase())
        .volume("/data").volume("/var/cache").build().config().bytes();
    assertEquals(java.util.List.of("/data", "/var/cache"), ManifestReader.parseConfig(config).volumes());
    assertEquals(java.util.List.of(), ManifestReader.parseConfig(dev.kona.image.testing.SampleImages.busybox()
        .config().bytes()).volumes());
  }

  /** Fuzzing found these: JSON nulls where the reader expected values escaped as NullPointerException. */
  @Test
  void parse_nullsWhereValuesGo_areInvalidArgumentNamingTheField() {
    String layer = "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":9";
    String config = "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":7}";
    String head = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",";
    assertRefused("null", "document");
    assertRefused("[]", "not valid JSON");
    assertRefused(head + config + ",\"layers\":[null]}", "layer 0");
    assertRefused(head + config + ",\"layers\":[" + layer + ",\"annotations\":{\"a\":null}}]}", "annotations");
    assertRefused(head + config + ",\"layers\":[" + layer + ",\"urls\":[null]}]}", "urls");
    assertRefused(head + config + ",\"layers\":[],\"annotations\":{\"k\":null}}", "annotations");
    assertRefused("{\"schemaVersion\":2,\"manifests\":[null]}", "index entry 0");
  }

  @Test
  void parseConfig_nullsWhereValuesGo_areInvalidArgumentNamingTheField() {
    assertConfigRefused("null", "document");
    assertConfigRefused("{\"rootfs\":{\"diff_ids\":[null]}}", "diff_ids");
    assertConfigRefused("{\"config\":{\"Env\":[\"A=1\",null]}}", "Env");
    assertConfigRefused("{\"config\":{\"Cmd\":[null]}}", "Cmd");
    assertConfigRefused("{\"config\":{\"Entrypoint\":[null]}}", "Entrypoint");
    assertConfigRefused("{\"config\":{\"Labels\":{\"a\":null}}}", "Labels");
  }

  private static void assertRefused(String json, String names) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ManifestReader.parse("", bytes(json)), json);
    assertTrue(e.getMessage().contains(names), e.getMessage());
  }

  private static void assertConfigRefused(String json, String names) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ManifestReader.parseConfig(bytes(json)), json);
    assertTrue(e.getMessage().contains(names), e.getMessage());
  }
}
