package dev.kona.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.image.content.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {

  @TempDir Path root;

  private static Digest digest(String seed) {
    return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
  }

  private static ImageRecord image(String seed, String tag) {
    Digest manifest = digest("manifest " + seed);
    return new ImageRecord(
        digest("config " + seed),
        manifest,
        List.of(tag),
        List.of(tag.substring(0, tag.lastIndexOf(':')) + "@" + manifest),
        1234,
        "1000:1000",
        false,
        Map.of("a", "b"),
        List.of(manifest, digest("config " + seed)),
        List.of(digest("chain " + seed)),
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void put_thenReopen_keepsEveryField() throws Exception {
    ImageStore store = ImageStore.open(root);
    ImageRecord record = image("one", "docker.io/library/busybox:latest");
    store.put(record);
    ImageStore reopened = ImageStore.open(root);
    assertEquals(List.of(record), reopened.list());
  }

  @Test
  void resolve_byIdTagDigestAndShortName() throws Exception {
    ImageStore store = ImageStore.open(root);
    ImageRecord record = store.put(image("one", "docker.io/library/busybox:latest"));
    assertEquals(record, store.resolve(record.id().toString()).orElseThrow());
    assertEquals(record, store.resolve(record.id().hex()).orElseThrow());
    assertEquals(record, store.resolve("busybox").orElseThrow());
    assertEquals(record, store.resolve("docker.io/library/busybox@" + record.manifestDigest()).orElseThrow());
    assertTrue(store.resolve("busybox:other").isEmpty());
    assertTrue(store.resolve("Not A Reference").isEmpty());
  }

  @Test
  void put_sameTagOnNewImage_movesTheTag() throws Exception {
    ImageStore store = ImageStore.open(root);
    ImageRecord old = store.put(image("old", "docker.io/library/app:1"));
    ImageRecord fresh = store.put(image("new", "docker.io/library/app:1"));
    assertEquals(List.of(), store.get(old.id()).orElseThrow().repoTags());
    assertEquals(fresh.id(), store.resolve("app:1").orElseThrow().id());
    assertEquals(List.of(), ImageStore.open(root).get(old.id()).orElseThrow().repoTags());
  }

  @Test
  void put_sameImageTwice_mergesNames() throws Exception {
    ImageStore store = ImageStore.open(root);
    ImageRecord first = image("one", "docker.io/library/app:1");
    store.put(first);
    ImageRecord second = store.put(first.withNames(List.of("docker.io/library/app:2"), List.of()));
    assertEquals(List.of("docker.io/library/app:1", "docker.io/library/app:2"), second.repoTags());
  }

  @Test
  void open_withTempLeftovers_removesThem() throws Exception {
    ImageStore.open(root);
    Path leftover = root.resolve("records/.tmp-abc.json.123");
    Files.writeString(leftover, "{");
    ImageStore.open(root);
    assertTrue(Files.notExists(leftover));
  }

  @Test
  void remove_deletesRecordFile() throws Exception {
    ImageStore store = ImageStore.open(root);
    ImageRecord record = store.put(image("one", "docker.io/library/busybox:latest"));
    store.remove(record.id());
    store.remove(record.id());
    assertTrue(ImageStore.open(root).list().isEmpty());
  }
}
