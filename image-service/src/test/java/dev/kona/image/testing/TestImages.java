package dev.kona.image.testing;

import com.github.luben.zstd.ZstdOutputStream;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.image.content.Digest;
import dev.kona.image.manifest.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Builds test images in Java from Debian's {@code busybox-static} ({@code /bin/busybox}): layers,
 * config (user, command, env), OCI or Docker schema 2 manifests, indexes.
 *
 * <pre>{@code
 * BuiltImage image = TestImages.builder().layer(TestImages.busyboxBase()).user("1000").build();
 * registry.pusher().push("test/busybox", "1", image);
 * }</pre>
 */
public final class TestImages {

  public static final Path BUSYBOX = Path.of("/bin/busybox");
  static final ObjectMapper JSON = new ObjectMapper();

  private TestImages() {}

  public enum Compression {
    GZIP,
    ZSTD,
    NONE
  }

  /** A busybox root: /bin/busybox, applets as hard links, /bin/sh a symlink, /etc basics, /tmp 1777. */
  public static LayerBuilder busyboxBase() {
    LayerBuilder base =
        new LayerBuilder()
            .dir("bin", 0755)
            .hostFile("bin/busybox", BUSYBOX, 0755)
            .symlink("bin/sh", "/bin/busybox")
            .dir("etc", 0755)
            .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\n", 0644)
            .file("etc/group", "root:x:0:\nnogroup:x:65534:\n", 0644)
            .dir("tmp", 01777)
            .dir("root", 0700);
    for (String applet : List.of("ls", "cat", "echo", "id", "sleep", "top", "true", "env")) {
      base.hardlink("bin/" + applet, "bin/busybox");
    }
    return base;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static byte[] compress(byte[] tar, Compression compression) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (compression) {
        case GZIP -> {
          try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar);
          }
        }
        case ZSTD -> {
          try (ZstdOutputStream zs = new ZstdOutputStream(out)) {
            zs.write(tar);
          }
        }
        case NONE -> out.write(tar);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An image index (OCI) or manifest list (Docker) over per-platform images, in the order given. */
  public static Blob index(boolean oci, List<BuiltImage> images) {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_LIST);
    ArrayNode manifests = index.putArray("manifests");
    for (BuiltImage image : images) {
      ObjectNode entry = manifests.addObject();
      entry.put("mediaType", image.manifest().mediaType());
      entry.put("digest", image.manifest().digest().toString());
      entry.put("size", image.manifest().size());
      ObjectNode platform = entry.putObject("platform");
      platform.put("architecture", image.architecture());
      platform.put("os", image.os());
      if (!image.variant().isEmpty()) {
        platform.put("variant", image.variant());
      }
    }
    return Blob.of(oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_LIST, write(index));
  }

  static byte[] write(ObjectNode json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds one image. Defaults: OCI media types, gzip, linux/amd64, CMD ["sh"]. */
  public static final class Builder {
    private final List<byte[]> tars = new ArrayList<>();
    private final List<Compression> compressions = new ArrayList<>();
    private boolean oci = true;
    private String user = "";
    private List<String> cmd = List.of("sh");
    private List<String> env = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    private String os = "linux";
    private String architecture = "amd64";
    private String variant = "";
    private String label = "";
    private String stopSignal = "";
    private final List<String> volumes = new ArrayList<>();
    private final java.util.Map<String, String> annotations = new java.util.LinkedHashMap<>();

    public Builder layer(LayerBuilder layer) {
      return layer(layer, Compression.GZIP);
    }

    public Builder layer(LayerBuilder layer, Compression compression) {
      return layerTar(layer.tar(), compression);
    }

    public Builder layerTar(byte[] tar, Compression compression) {
      tars.add(tar);
      compressions.add(compression);
      return this;
    }

    public Builder docker() {
      oci = false;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder cmd(String... command) {
      cmd = List.of(command);
      return this;
    }

    public Builder env(String... values) {
      env = List.of(values);
      return this;
    }

    public Builder platform(String osName, String arch, String archVariant) {
      os = osName;
      architecture = arch;
      variant = archVariant;
      return this;
    }

    /** A VOLUME, e.g. {@code /data}; the config's {@code Volumes} map lists them in this order. */
    public Builder volume(String path) {
      volumes.add(path);
      return this;
    }

    /** The config's {@code StopSignal} (Dockerfile STOPSIGNAL), e.g. {@code SIGUSR1}. */
    public Builder stopSignal(String value) {
      stopSignal = value;
      return this;
    }

    /** A label that makes otherwise equal images differ (distinct ids). */
    public Builder label(String value) {
      label = value;
      return this;
    }

    /** An annotation of the image manifest. */
    public Builder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    public BuiltImage build() {
      List<Blob> layers = new ArrayList<>();
      List<Digest> diffIds = new ArrayList<>();
      for (int i = 0; i < tars.size(); i++) {
        Compression compression = compressions.get(i);
        String type =
            switch (compression) {
              case GZIP -> oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;
              case ZSTD -> oci ? MediaTypes.OCI_LAYER_ZSTD : MediaTypes.DOCKER_LAYER_ZSTD;
              case NONE -> MediaTypes.OCI_LAYER;
            };
        layers.add(Blob.of(type, compress(tars.get(i), compression)));
        diffIds.add(Digest.sha256(tars.get(i)));
      }
      ObjectNode config = JSON.createObjectNode();
      config.put("architecture", architecture);
      config.put("os", os);
      if (!variant.isEmpty()) {
        config.put("variant", variant);
      }
      config.put("created", LayerBuilder.MTIME.toString());
      ObjectNode run = config.putObject("config");
      if (!user.isEmpty()) {
        run.put("User", user);
      }
      env.forEach(run.putArray("Env")::add);
      cmd.forEach(run.putArray("Cmd")::add);
      if (!volumes.isEmpty()) {
        ObjectNode declared = run.putObject("Volumes");
        volumes.forEach(v -> declared.putObject(v));
      }
      if (!stopSignal.isEmpty()) {
        run.put("StopSignal", stopSignal);
      }
      if (!label.isEmpty()) {
        run.putObject("Labels").put("kona.test", label);
      }
      ObjectNode rootfs = config.putObject("rootfs");
      rootfs.put("type", "layers");
      ArrayNode ids = rootfs.putArray("diff_ids");
      diffIds.forEach(d -> ids.add(d.toString()));
      Blob configBlob = Blob.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, write(config));

      StringBuilder manifest = new StringBuilder();
      String manifestType = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
      manifest.append("{\"schemaVersion\":2,\"mediaType\":\"").append(manifestType).append("\",\"config\":")
          .append(configBlob.descriptorJson()).append(",\"layers\":[");
      for (int i = 0; i < layers.size(); i++) {
        manifest.append(i == 0 ? "" : ",").append(layers.get(i).descriptorJson());
      }
      manifest.append("]");
      if (!annotations.isEmpty()) {
        ObjectNode map = JSON.createObjectNode();
        annotations.forEach(map::put);
        manifest.append(",\"annotations\":").append(new String(write(map), StandardCharsets.UTF_8));
      }
      manifest.append("}");
      Blob manifestBlob = Blob.of(manifestType, manifest.toString().getBytes(StandardCharsets.UTF_8));
      return new BuiltImage(configBlob, layers, manifestBlob, diffIds, os, architecture, variant);
    }
  }
}
