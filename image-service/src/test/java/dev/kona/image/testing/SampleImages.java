package dev.kona.image.testing;

import java.nio.charset.StandardCharsets;

/**
 * The images the image-service tests (and later modules) pull, built from busybox-static. Each
 * method returns a fresh build; builds are reproducible, so equal calls give equal digests.
 */
public final class SampleImages {

  /** security.capability v2 with cap_net_raw + cap_setfcap: 20 binary bytes, one of them >= 0x80. */
  public static final byte[] CAPABILITY = {
    0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private SampleImages() {}

  /** busybox alone, one gzip layer, CMD sh. */
  public static BuiltImage busybox() {
    return TestImages.builder().layer(TestImages.busyboxBase()).build();
  }

  /**
   * Three layers on busybox: the second deletes {@code /etc/motd} (whiteout), makes {@code /var/cache}
   * opaque, adds a device node, a fifo, a symlink and a setuid file with a file capability; the third
   * adds a hard link and overrides a file.
   */
  public static BuiltImage multiLayer() {
    LayerBuilder first =
        TestImages.busyboxBase()
            .file("etc/motd", "welcome", 0644)
            .dir("var", 0755)
            .dir("var/cache", 0755)
            .file("var/cache/stale", "stale", 0644)
            .file("etc/version", "1", 0644);
    LayerBuilder second =
        new LayerBuilder()
            .dir("etc", 0755)
            .whiteout("etc/motd")
            .dir("var/cache", 0755)
            .opaque("var/cache")
            .file("var/cache/fresh", "fresh", 0644)
            .dir("dev", 0755)
            .charDevice("dev/kona-null", 1, 3, 0666)
            .fifo("dev/kona-fifo", 0600)
            .symlink("usr/bin/env-link", "/bin/env")
            .file("usr/local/bin/ping-like", "#!/bin/sh\necho ping\n".getBytes(StandardCharsets.US_ASCII), 04755, 0, 0)
            .xattr("security.capability", CAPABILITY);
    LayerBuilder third =
        new LayerBuilder()
            .dir("usr/local/bin", 0755)
            .hardlink("usr/local/bin/ping-alias", "usr/local/bin/ping-like")
            .dir("etc", 0755)
            .file("etc/version", "3", 0644);
    return TestImages.builder().layer(first).layer(second).layer(third).build();
  }

  /**
   * busybox with {@code VOLUME /data}; the image has {@code /data/seed} (0640, owned 1000:1000),
   * {@code /data/nested/deep} and a symlink {@code /data/link -> seed} there.
   */
  public static BuiltImage withVolume() {
    LayerBuilder data = TestImages.busyboxBase()
        .dir("data", 0750, 1000, 1000)
        .file("data/seed", "seeded by the image\n".getBytes(StandardCharsets.US_ASCII), 0640, 1000, 1000)
        .dir("data/nested", 0755)
        .file("data/nested/deep", "deep\n", 0644)
        .symlink("data/link", "seed");
    return TestImages.builder().layer(data).volume("/data").label("volume /data").build();
  }

  /** busybox with {@code USER} set. */
  public static BuiltImage withUser(String user) {
    return TestImages.builder().layer(TestImages.busyboxBase()).user(user).label("user " + user).build();
  }

  /** busybox plus a zstd layer and an uncompressed layer. */
  public static BuiltImage zstd() {
    return TestImages.builder()
        .layer(TestImages.busyboxBase(), TestImages.Compression.ZSTD)
        .layer(new LayerBuilder().file("zstd-marker", "z", 0644), TestImages.Compression.ZSTD)
        .layer(new LayerBuilder().file("plain-marker", "p", 0644), TestImages.Compression.NONE)
        .build();
  }

  /** The same busybox labelled for another platform (content is never run). */
  public static BuiltImage forPlatform(String arch, String variant) {
    return TestImages.builder()
        .layer(TestImages.busyboxBase().file("platform", arch, 0644))
        .platform("linux", arch, variant)
        .build();
  }

  /** busybox plus one layer with a single entry named {@code name} (for hostile archives). */
  public static BuiltImage withHostileLayer(LayerBuilder hostile) {
    return TestImages.builder().layer(TestImages.busyboxBase()).layer(hostile).build();
  }
}
