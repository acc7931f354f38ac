package dev.kona.image.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds JSON documents from fuzzer data in the shape of the OCI documents Kona reads (manifests,
 * indexes, image configs), so that the fuzzer spends its time on what parses and is then checked,
 * not on JSON syntax: each known key of a shape is present or not, holds a value of its own type
 * (often a plausible one: a real digest, a media type, a platform) or a value of any other type
 * (null, a number where a string goes, a list with nulls, a map with null values, ...).
 */
public final class FuzzJson {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A value's shape: how to build a well-typed value for a key. */
  public sealed interface Shape {}

  public record Str(String... plausible) implements Shape {}

  public record Num(long... plausible) implements Shape {}

  public record ListOf(Shape element) implements Shape {}

  public record MapOf(Shape value) implements Shape {}

  public record Obj(Map<String, Shape> fields) implements Shape {}

  private static final String[] DIGESTS = {
    "sha256:" + "0".repeat(64), "sha256:" + "a".repeat(64), "sha512:" + "b".repeat(128), "sha256:" + "A".repeat(64),
    "sha256:", ":", "md5:d41d8cd98f00b204e9800998ecf8427e", "sha256:" + "0".repeat(63)
  };

  public static final Str DIGEST = new Str(DIGESTS);
  public static final Str MEDIA_TYPE =
      new Str(
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v1+prettyjws",
          "application/vnd.oci.image.config.v1+json",
          "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.oci.image.layer.v1.tar+zstd",
          "application/json",
          "");
  public static final Obj PLATFORM =
      new Obj(
          Map.of(
              "os", new Str("linux", "windows", ""),
              "architecture", new Str("amd64", "arm64", "arm", ""),
              "variant", new Str("v7", "v8", ""),
              "os.version", new Str("10.0")));
  public static final MapOf ANNOTATIONS = new MapOf(new Str("v", "", "org.opencontainers.image.ref.name"));
  public static final Obj DESCRIPTOR =
      new Obj(
          Map.of(
              "mediaType", MEDIA_TYPE,
              "digest", DIGEST,
              "size", new Num(0, 1, -1, 1L << 40, Long.MAX_VALUE),
              "platform", PLATFORM,
              "annotations", ANNOTATIONS,
              "urls", new ListOf(new Str("http://127.0.0.1/x"))));
  public static final Obj MANIFEST =
      new Obj(
          Map.of(
              "schemaVersion", new Num(2, 1, 0, -1),
              "mediaType", MEDIA_TYPE,
              "config", DESCRIPTOR,
              "layers", new ListOf(DESCRIPTOR),
              "manifests", new ListOf(DESCRIPTOR),
              "annotations", ANNOTATIONS));
  public static final Obj IMAGE_CONFIG =
      new Obj(
          Map.of(
              "architecture", new Str("amd64", "arm64"),
              "os", new Str("linux"),
              "config",
                  new Obj(
                      Map.of(
                          "User", new Str("0", "1000:1000", "nobody", "99999999999999999999", "-1", "1000:", ":1000", "١٢٣"),
                          "Env", new ListOf(new Str("PATH=/bin", "A", "=", "")),
                          "Entrypoint", new ListOf(new Str("/bin/sh")),
                          "Cmd", new ListOf(new Str("-c", "")),
                          "WorkingDir", new Str("/", "rel", "/a/../..", ""),
                          "Labels", new MapOf(new Str("v")),
                          "StopSignal", new Str("SIGTERM", "9", "SIGNOPE", ""),
                          "ExposedPorts", new MapOf(new Obj(Map.of())),
                          "Volumes", new MapOf(new Obj(Map.of())))),
              "rootfs", new Obj(Map.of("type", new Str("layers"), "diff_ids", new ListOf(DIGEST)))));

  private FuzzJson() {}

  /** The document as UTF-8 bytes. */
  public static byte[] document(FuzzedDataProvider data, Shape shape) {
    return build(data, shape, 0).toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode build(FuzzedDataProvider data, Shape shape, int depth) {
    if (data.consumeInt(0, 15) == 0) {
      return any(data, depth);
    }
    return switch (shape) {
      case Str s -> F.textNode(data.consumeBoolean() && s.plausible().length > 0 ? data.pickValue(s.plausible()) : data.consumeString(80));
      case Num n -> F.numberNode(data.consumeBoolean() && n.plausible().length > 0 ? n.plausible()[data.consumeInt(0, n.plausible().length - 1)] : data.consumeLong());
      case ListOf l -> {
        ArrayNode array = F.arrayNode();
        int count = data.consumeInt(0, depth > 3 ? 1 : 4);
        for (int i = 0; i < count; i++) {
          array.add(build(data, l.element(), depth + 1));
        }
        yield array;
      }
      case MapOf m -> {
        ObjectNode object = F.objectNode();
        int count = data.consumeInt(0, depth > 3 ? 1 : 4);
        for (int i = 0; i < count; i++) {
          object.set(data.consumeString(16), build(data, m.value(), depth + 1));
        }
        yield object;
      }
      case Obj o -> {
        ObjectNode object = F.objectNode();
        for (String key : o.fields().keySet().stream().sorted().toList()) {
          if (data.consumeBoolean()) {
            object.set(key, build(data, o.fields().get(key), depth + 1));
          }
        }
        yield object;
      }
    };
  }

  /** A value of any type: where a document has the wrong type, null, or odd nesting. */
  private static JsonNode any(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth > 3 ? 5 : 7)) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(data.consumeBoolean());
      case 2 -> F.numberNode(data.consumeLong());
      case 3 -> F.numberNode(data.consumeRegularDouble());
      case 4 -> F.textNode(data.consumeString(40));
      case 5 -> F.numberNode(new java.math.BigInteger(1, data.consumeBytes(24)));
      case 6 -> {
        ArrayNode array = F.arrayNode();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          array.add(any(data, depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = F.objectNode();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          object.set(data.consumeString(8), any(data, depth + 1));
        }
        yield object;
      }
    };
  }
}
