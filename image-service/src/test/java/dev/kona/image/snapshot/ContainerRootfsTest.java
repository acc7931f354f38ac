package dev.kona.image.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.AlreadyExistsException;
import dev.kona.image.content.Digest;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.unpack.LayerUnpacker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mounts the planned overlay with the kernel ({@code mount -t overlay}) to prove the plan works,
 * including images with more layers than absolute lowerdir paths fit in one page. Needs root;
 * every mount is unmounted in a finally block.
 */
class ContainerRootfsTest {

  @TempDir Path temp;

  @BeforeAll
  static void needsRoot() {
    assertEquals("root", System.getProperty("user.name"), "ContainerRootfsTest needs root (overlay mounts)");
  }

  private List<Digest> layers(SnapshotStore store, List<LayerBuilder> tars) {
    List<Digest> chain = new ArrayList<>();
    List<Path> lowers = new ArrayList<>();
    for (int i = 0; i < tars.size(); i++) {
      Digest id = Digest.sha256(("layer " + i + " " + temp).getBytes(StandardCharsets.UTF_8));
      LayerBuilder tar = tars.get(i);
      List<Path> below = List.copyOf(lowers);
      Snapshot s = store.commit(id, dir -> {
        LayerUnpacker.Usage u = new LayerUnpacker(dir, below).unpack(new ByteArrayInputStream(tar.tar()));
        return new long[] {u.bytes(), u.inodes()};
      });
      lowers.addFirst(s.dir());
      chain.add(id);
    }
    return chain;
  }

  @Test
  void prepare_threeLayers_mountsWithWhiteoutsAndOpaqueDirs() throws Exception {
    Path root = temp.resolve("images");
    SnapshotStore store = SnapshotStore.open(root);
    ContainerRootfs rootfs = ContainerRootfs.open(root, store);
    List<Digest> chain =
        layers(
            store,
            List.of(
                new LayerBuilder().dir("etc", 0755).file("etc/a", "a", 0644).file("etc/gone", "g", 0644)
                    .dir("cache", 0755).file("cache/old", "o", 0644),
                new LayerBuilder().whiteout("etc/gone").opaque("cache").file("cache/new", "n", 0644),
                new LayerBuilder().file("etc/a", "a2", 0644)));
    RootfsPlan plan = rootfs.prepare("ctr-1", Digest.sha256(new byte[] {1}), chain);
    assertTrue(plan.mountDirectory().isEmpty(), "three layers fit as absolute paths");
    Path target = Files.createDirectories(temp.resolve("rootfs"));
    mount(plan, target);
    try {
      assertEquals("a2", Files.readString(target.resolve("etc/a")));
      assertFalse(Files.exists(target.resolve("etc/gone")));
      assertEquals(List.of("new"), list(target.resolve("cache")));
      Files.writeString(target.resolve("etc/written"), "w");
    } finally {
      umount(target);
    }
    assertEquals("w", Files.readString(plan.upperDir().resolve("etc/written")));
    assertFalse(Files.exists(store.get(chain.getLast()).orElseThrow().dir().resolve("etc/written")), "lower untouched");
    rootfs.release("ctr-1");
    assertFalse(Files.exists(plan.upperDir()));
    assertTrue(Files.exists(store.get(chain.getFirst()).orElseThrow().dir()), "layers stay");
  }

  @Test
  void prepare_manyLayers_usesRelativeOptionsThatMountFromTheImageRoot() throws Exception {
    // a long root makes absolute lowerdirs overflow the page long before the layers run out
    Path root = temp.resolve("images-" + "x".repeat(150));
    SnapshotStore store = SnapshotStore.open(root);
    ContainerRootfs rootfs = ContainerRootfs.open(root, store);
    List<LayerBuilder> tars = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      tars.add(new LayerBuilder().file("layer-" + i, Integer.toString(i), 0644).file("top", Integer.toString(i), 0644));
    }
    List<Digest> chain = layers(store, tars);
    RootfsPlan plan = rootfs.prepare("ctr-many", Digest.sha256(new byte[] {2}), chain);
    assertEquals(root, plan.mountDirectory().orElseThrow());
    assertTrue(plan.mounts().getFirst().data().length() <= ContainerRootfs.MOUNT_DATA_LIMIT);
    Path target = Files.createDirectories(temp.resolve("rootfs-many"));
    mount(plan, target);
    try {
      assertEquals("119", Files.readString(target.resolve("top")));
      assertEquals("0", Files.readString(target.resolve("layer-0")));
      assertEquals("57", Files.readString(target.resolve("layer-57")));
    } finally {
      umount(target);
    }
    rootfs.release("ctr-many");
  }

  /**
   * A split image filesystem: the writable layers on a tmpfs of their own, the image's layers on
   * the test's filesystem. Overlayfs takes lower dirs from anywhere; the upper and work dirs are on
   * one filesystem. Also with the relative options of a many-layer image.
   */
  @Test
  void prepare_layersOnAnotherFilesystem_mountsAndWritesThere() throws Exception {
    Path root = temp.resolve("images-" + "x".repeat(150));
    Path layersFs = Files.createDirectories(temp.resolve("layers-fs"));
    run(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "kona-layers", layersFs.toString()));
    try {
      SnapshotStore store = SnapshotStore.open(root);
      ContainerRootfs rootfs = ContainerRootfs.open(root, layersFs.resolve("layers"), store);
      List<LayerBuilder> tars = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        tars.add(new LayerBuilder().file("top", Integer.toString(i), 0644));
      }
      List<Digest> chain = layers(store, tars);
      for (String id : List.of("few", "many")) {
        RootfsPlan plan = rootfs.prepare(id, Digest.sha256(id.getBytes(StandardCharsets.UTF_8)),
            id.equals("few") ? chain.subList(0, 3) : chain);
        assertEquals(id.equals("many"), plan.mountDirectory().isPresent(), id);
        assertEquals(layersFs.resolve("layers").resolve(id).resolve("upper"), plan.upperDir());
        Path target = Files.createDirectories(temp.resolve("rootfs-" + id));
        mount(plan, target);
        try {
          assertEquals(id.equals("few") ? "2" : "119", Files.readString(target.resolve("top")));
          Files.writeString(target.resolve("written"), id);
        } finally {
          umount(target);
        }
        assertEquals(id, Files.readString(plan.upperDir().resolve("written")), "the write is on the layers' tmpfs");
        assertEquals(Files.getFileStore(layersFs), Files.getFileStore(plan.upperDir()));
      }
      assertEquals(java.util.Set.of("few", "many"), ContainerRootfs.open(root, layersFs.resolve("layers"), store)
          .containerIds(), "found again where they are");
      rootfs.release("few");
      rootfs.release("many");
      assertEquals(List.of(), list(layersFs.resolve("layers")));
    } finally {
      run(new ProcessBuilder("umount", layersFs.toString()));
    }
  }

  @Test
  void prepare_sameContainerOtherImage_isAlreadyExists() throws Exception {
    Path root = temp.resolve("images");
    SnapshotStore store = SnapshotStore.open(root);
    ContainerRootfs rootfs = ContainerRootfs.open(root, store);
    List<Digest> chain = layers(store, List.of(new LayerBuilder().file("f", "f", 0644)));
    RootfsPlan first = rootfs.prepare("c", Digest.sha256(new byte[] {3}), chain);
    assertEquals(first, rootfs.prepare("c", Digest.sha256(new byte[] {3}), chain));
    assertThrows(AlreadyExistsException.class, () -> rootfs.prepare("c", Digest.sha256(new byte[] {4}), chain));
    assertEquals(java.util.Set.copyOf(chain), ContainerRootfs.open(root, store).chainsInUse());
    rootfs.release("c");
    rootfs.release("c");
  }

  private static List<String> list(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static void mount(RootfsPlan plan, Path target) throws Exception {
    Mount m = plan.mounts().getFirst();
    ProcessBuilder pb = new ProcessBuilder("mount", "-t", m.type(), m.source(), "-o", m.data(), target.toString());
    plan.mountDirectory().ifPresent(dir -> pb.directory(dir.toFile()));
    run(pb);
  }

  static void umount(Path target) throws Exception {
    run(new ProcessBuilder("umount", target.toString()));
  }

  private static void run(ProcessBuilder pb) throws Exception {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", pb.command()) + ": " + out);
  }
}
