package dev.kona.image.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.NotFoundException;
import dev.kona.common.error.UnavailableException;
import dev.kona.image.ImageConfig;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ImageService;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.snapshot.RootfsPlan;
import dev.kona.image.store.ImageRecord;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.CountingProxy;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.OverlayMounts;
import dev.kona.image.testing.SampleImages;
import dev.kona.image.testing.TestImageServices;
import dev.kona.image.testing.TestImages;
import dev.kona.image.unpack.fs.FsCalls;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real registry (Debian's docker-registry on loopback); needs root for unpacking. */
class ImagePullerTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  static BuiltImage multi = SampleImages.multiLayer();
  static BuiltImage amd64 = SampleImages.forPlatform("amd64", "");
  static BuiltImage arm64 = SampleImages.forPlatform("arm64", "v8");
  static BuiltImage zstd = SampleImages.zstd();

  @TempDir Path temp;
  private ImageService images;

  @BeforeAll
  static void push() {
    var pusher = registry.pusher();
    pusher.push("test/multi", "1", multi);
    pusher.push("test/zstd", "1", zstd);
    pusher.pushIndex("test/multiarch", "oci", TestImages.index(true, List.of(arm64, amd64)), arm64, amd64);
    pusher.pushIndex("test/multiarch", "docker", TestImages.index(false, List.of(arm64, amd64)), arm64, amd64);
    pusher.pushIndex("test/armonly", "1", TestImages.index(true, List.of(arm64)), arm64);
    BuiltImage dockerImage = TestImages.builder().docker().layer(TestImages.busyboxBase()).label("docker").build();
    pusher.push("test/docker", "1", dockerImage);
  }

  @AfterEach
  void close() {
    if (images != null) {
      images.close();
    }
  }

  private ImageService open(ImageConfig config) {
    images = TestImageServices.open(temp.resolve("images"), config);
    return images;
  }

  private ImageRecord pull(String name) {
    return images.pull(ImageReference.parse(name), Credentials.NONE);
  }

  /**
   * Layers unpack in parallel and the big bottom one finishes last: its file and directory must
   * still be hidden by the layer above (whiteout, opaque dir) and replaced by the top one.
   */
  @Test
  void pull_layersFinishingOutOfOrder_applyInLayerOrder() throws Exception {
    byte[] big = new byte[24 << 20];
    new java.util.Random(17).nextBytes(big); // incompressible: the bottom layer takes the longest
    BuiltImage image =
        TestImages.builder()
            .layer(TestImages.busyboxBase().file("etc/app", "1", 0644).dir("data", 0755).file("data/old", "old", 0644)
                .file("blob/big", big, 0644, 0, 0))
            .layer(new LayerBuilder().dir("etc", 0755).whiteout("etc/app").dir("data", 0755).opaque("data")
                .file("data/new", "new", 0644), TestImages.Compression.ZSTD)
            .layer(new LayerBuilder().dir("etc", 0755).file("etc/app", "3", 0644))
            .build();
    registry.pusher().push("test/ordered", "1", image);
    open(TestImageServices.insecure(registry.host()));
    String name = registry.host() + "/test/ordered:1";
    pull(name);
    RootfsPlan plan = images.prepareRootfs("ordered", name);
    Path target = Files.createDirectories(temp.resolve("rootfs-ordered"));
    OverlayMounts.mount(plan, target);
    try {
      assertEquals("3", Files.readString(target.resolve("etc/app")), "the top layer's file over the whiteout");
      assertEquals(List.of("new"), list(target.resolve("data")), "the opaque dir hides the bottom layer's file");
      assertEquals(big.length, Files.size(target.resolve("blob/big")));
    } finally {
      OverlayMounts.umount(target);
    }
  }

  @Test
  void pull_multiLayerImage_recordsItAndItsRootfsMountsAndRuns() throws Exception {
    open(TestImageServices.insecure(registry.host()));
    String name = registry.host() + "/test/multi:1";
    ImageRecord record = pull(name);
    assertEquals(multi.id(), record.id());
    assertEquals(List.of(name), record.repoTags());
    assertEquals(List.of(registry.host() + "/test/multi@" + multi.manifest().digest()), record.repoDigests());
    assertEquals(3, record.chainIds().size());
    assertEquals(multi.manifest().size() + multi.config().size() + multi.compressedSize(), record.size());

    RootfsPlan plan = images.prepareRootfs("c1", name);
    Path target = Files.createDirectories(temp.resolve("rootfs"));
    OverlayMounts.mount(plan, target);
    try {
      assertFalse(Files.exists(target.resolve("etc/motd"), LinkOption.NOFOLLOW_LINKS), "whiteout hides the file");
      assertEquals(List.of("fresh"), list(target.resolve("var/cache")), "opaque dir hides the lower content");
      assertEquals("3", Files.readString(target.resolve("etc/version")));
      assertEquals(
          Files.getAttribute(target.resolve("bin/busybox"), "unix:ino"),
          Files.getAttribute(target.resolve("bin/ls"), "unix:ino"),
          "hard link within a layer");
      assertEquals(
          Files.readString(target.resolve("usr/local/bin/ping-like")),
          Files.readString(target.resolve("usr/local/bin/ping-alias")),
          "hard link to a lower layer's file becomes a copy");
      assertArrayEquals(SampleImages.CAPABILITY, FsCalls.lgetxattr(target.resolve("usr/local/bin/ping-like"), "security.capability"));
      assertEquals(0100000 | 04755, Files.getAttribute(target.resolve("usr/local/bin/ping-like"), "unix:mode"));
      assertEquals(020000 | 0666, Files.getAttribute(target.resolve("dev/kona-null"), "unix:mode"));
      String out = OverlayMounts.run(new ProcessBuilder("chroot", target.toString(), "/bin/sh", "-c", "echo hello from $(cat /etc/version)"));
      assertEquals("hello from 3\n", out);
    } finally {
      OverlayMounts.umount(target);
    }
    images.releaseRootfs("c1");
  }

  @Test
  void pull_ociIndexAndDockerList_pickHostPlatformNotFirstEntry() {
    open(TestImageServices.insecure(registry.host()));
    assertEquals(amd64.id(), pull(registry.host() + "/test/multiarch:oci").id());
    ImageRecord docker = pull(registry.host() + "/test/multiarch:docker");
    assertEquals(amd64.id(), docker.id());
    assertEquals(2, docker.repoTags().size(), "same image under both tags");
  }

  @Test
  void pull_indexWithoutHostPlatform_namesWhatItOffers() {
    open(TestImageServices.insecure(registry.host()));
    NotFoundException e = assertThrows(NotFoundException.class, () -> pull(registry.host() + "/test/armonly:1"));
    assertTrue(e.getMessage().contains("no image for platform linux/amd64"), e.getMessage());
    assertTrue(e.getMessage().contains("[linux/arm64/v8]"), e.getMessage());
  }

  @Test
  void pull_platformOverride_picksThatEntry() {
    open(TestImageServices.insecure(registry.host()).withPlatform("linux/arm64"));
    assertEquals(arm64.id(), pull(registry.host() + "/test/multiarch:oci").id());
  }

  @Test
  void pull_zstdDockerAndUncompressedLayers_unpack() throws Exception {
    open(TestImageServices.insecure(registry.host()));
    ImageRecord record = pull(registry.host() + "/test/zstd:1");
    assertEquals(3, record.chainIds().size());
    RootfsPlan plan = images.prepareRootfs("z", record.id().toString());
    assertEquals("z", Files.readString(plan.lowerDirs().get(1).resolve("zstd-marker")));
    assertEquals("p", Files.readString(plan.lowerDirs().get(0).resolve("plain-marker")));
    assertTrue(Files.isRegularFile(plan.lowerDirs().get(2).resolve("bin/busybox")));
    images.releaseRootfs("z");
    assertEquals(1, pull(registry.host() + "/test/docker:1").chainIds().size());
  }

  @Test
  void pull_unknownTag_isNotFoundNamingRegistryAndRepository() {
    open(TestImageServices.insecure(registry.host()));
    NotFoundException e = assertThrows(NotFoundException.class, () -> pull(registry.host() + "/test/multi:nope"));
    assertTrue(e.getMessage().contains("test/multi"), e.getMessage());
    assertTrue(e.getMessage().contains("404"), e.getMessage());
  }

  @Test
  void pull_throughMirrorOnly_keepsTheOriginalNameAndNeverTheRealHost() throws Exception {
    try (CountingProxy mirror = new CountingProxy(registry.url())) {
      open(ImageConfig.defaults().withRegistries(Map.of("registry.k8s.io", RegistryConfig.mirrorOnly(mirror.url()))));
      registry.pusher().push("e2e-test-images/busybox", "1.29-2", SampleImages.busybox());
      ImageRecord record = pull("registry.k8s.io/e2e-test-images/busybox:1.29-2");
      assertEquals(List.of("registry.k8s.io/e2e-test-images/busybox:1.29-2"), record.repoTags());
      assertEquals(1, mirror.count("GET", "/v2/e2e-test-images/busybox/manifests/1.29-2"));
    }
    images.close();
    int closedPort = LocalRegistry.freePort();
    open(ImageConfig.defaults().withRegistries(Map.of("gcr.io", RegistryConfig.mirrorOnly("http://127.0.0.1:" + closedPort))));
    UnavailableException e = assertThrows(UnavailableException.class, () -> pull("gcr.io/k8s-staging-cri-tools/test-image-latest"));
    assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
    assertFalse(e.getMessage().contains("https://gcr.io"), e.getMessage());
  }

  @Test
  void pull_firstMirrorDown_triesTheNextInOrder() throws Exception {
    int closedPort = LocalRegistry.freePort();
    try (CountingProxy second = new CountingProxy(registry.url())) {
      RegistryConfig mirrors =
          new RegistryConfig(List.of("http://127.0.0.1:" + closedPort, second.url()), false, false, null, null, null, null);
      open(ImageConfig.defaults().withRegistries(Map.of("quay.io", mirrors)));
      registry.pusher().push("org/app", "2", SampleImages.busybox());
      ImageRecord record = pull("quay.io/org/app:2");
      assertEquals(List.of("quay.io/org/app:2"), record.repoTags());
      assertEquals(1, second.count("GET", "/v2/org/app/manifests/2"));
    }
  }

  @Test
  void pull_againAndSharedBase_fetchesOnlyWhatIsMissing() throws Exception {
    try (CountingProxy proxy = new CountingProxy(registry.url())) {
      open(TestImageServices.insecure(proxy.host()));
      BuiltImage base = SampleImages.busybox();
      BuiltImage derived = TestImages.builder().layer(TestImages.busyboxBase()).layer(new dev.kona.image.testing.LayerBuilder().file("extra", "e", 0644)).build();
      registry.pusher().push("test/base", "1", base);
      registry.pusher().push("test/derived", "1", derived);
      pull(proxy.host() + "/test/base:1");
      pull(proxy.host() + "/test/base:1");
      assertEquals(1, proxy.countContaining("/blobs/" + base.layers().getFirst().digest()), proxy.counts().toString());
      pull(proxy.host() + "/test/derived:1");
      assertEquals(0, proxy.countContaining("/test/derived/blobs/" + base.layers().getFirst().digest()), proxy.counts().toString());
      assertEquals(1, proxy.countContaining("/test/derived/blobs/" + derived.layers().get(1).digest()));
    }
  }

  @Test
  void pull_concurrentPullsOfOneImage_downloadEachBlobOnce() throws Exception {
    try (CountingProxy proxy = new CountingProxy(registry.url())) {
      open(TestImageServices.insecure(proxy.host()));
      String name = proxy.host() + "/test/multi:1";
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<ImageRecord>> pulls = List.of(
            pool.submit(() -> pull(name)), pool.submit(() -> pull(name)), pool.submit(() -> pull(name)), pool.submit(() -> pull(name)));
        for (Future<ImageRecord> f : pulls) {
          assertEquals(multi.id(), f.get().id());
        }
      }
      for (var layer : multi.layers()) {
        assertEquals(1, proxy.count("GET", "/v2/test/multi/blobs/" + layer.digest()), proxy.counts().toString());
      }
      assertEquals(1, proxy.count("GET", "/v2/test/multi/blobs/" + multi.config().digest()), proxy.counts().toString());
    }
  }

  @Test
  void pull_blobRedirectedToAnotherHost_followsTheRedirect() throws Exception {
    try (CountingProxy proxy = new CountingProxy(registry.url())) {
      open(TestImageServices.insecure(proxy.host()));
      for (var layer : multi.layers()) {
        proxy.inject(new CountingProxy.Redirect("/blobs/" + layer.digest()));
      }
      assertEquals(multi.id(), pull(proxy.host() + "/test/multi:1").id());
      assertEquals(1, proxy.count("GET", "/v2/test/multi/blobs/" + multi.layers().getFirst().digest()));
    }
  }

  private static List<String> list(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
