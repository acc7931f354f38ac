package dev.kona.image.manifest;

import java.util.Set;

/** The media types Kona meets in registries, and which of them it accepts. */
public final class MediaTypes {

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_NONDIST_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** The Accept header of a manifest request: everything Kona can use, schema 1 left out on purpose. */
  public static final String MANIFEST_ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
  public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

  private MediaTypes() {}

  /** The compression a layer media type implies. */
  public static Compression compressionOf(String layerMediaType) {
    String type = layerMediaType;
    if (type.endsWith("+gzip") || type.endsWith(".tar.gzip") || type.endsWith(".tar.gz")) {
      return Compression.GZIP;
    }
    if (type.endsWith("+zstd") || type.endsWith(".tar.zstd")) {
      return Compression.ZSTD;
    }
    if (type.endsWith(".tar") || type.endsWith("diff.tar")) {
      return Compression.NONE;
    }
    return Compression.UNKNOWN;
  }

  public enum Compression {
    NONE,
    GZIP,
    ZSTD,
    UNKNOWN
  }
}
