package dev.kona.linux.mount;

import static dev.kona.linux.syscall.MountFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.NotFoundException;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.RecordingSyscalls;
import dev.kona.linux.testing.KernelTempDir;
import dev.kona.linux.testing.NoLeaks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Kernel tests (root) for the mounter, plus fake-driven tests for its error paths. */
@ExtendWith(NoLeaks.class)
class MounterTest {
  private final Mounter mounter = new Mounter(LinuxSyscalls.get());

  @TempDir(factory = KernelTempDir.class)
  Path dir;

  @AfterEach
  void unmountEverything() {
    mounter.unmountTree(dir.toString());
  }

  private String mkdir(String name) throws IOException {
    return Files.createDirectories(dir.resolve(name)).toString();
  }

  @Test
  void tmpfs_withOptions_appearsInMountTable() throws IOException {
    String t = mkdir("tmp");
    mounter.mount(Mount.tmpfs(t, "nosuid", "nodev", "mode=700", "size=1m"));

    MountInfo m = MountTable.at(t);
    assertEquals("tmpfs", m.fsType());
    assertTrue(m.mountOptions().containsAll(List.of("nosuid", "nodev")), m.toString());
    assertTrue(m.superOptions().contains("mode=700"), m.toString());
    assertTrue(mounter.unmount(t));
    assertFalse(MountTable.isMountPoint(t));
  }

  @Test
  void bindReadOnly_rejectsWrites() throws IOException {
    String src = mkdir("src");
    String t = mkdir("ro");
    Files.writeString(Path.of(src, "f"), "hello");
    mounter.mount(Mount.bind(src, t, "rbind", "ro", "nosuid", "rprivate"));

    assertEquals("hello", Files.readString(Path.of(t, "f")));
    assertThrows(FileSystemException.class, () -> Files.writeString(Path.of(t, "g"), "x"));
    MountInfo m = MountTable.at(t);
    assertTrue(m.readOnly());
    assertEquals("private", m.propagation());
  }

  @Test
  void mountFrom_resolvesRelativeLowerdirsThereAndLeavesTheDaemonsWorkingDirectory() throws IOException {
    Path cwd = Path.of("/proc/self/cwd").toRealPath();
    mkdir("l/a");
    mkdir("l/b");
    mkdir("upper");
    mkdir("work");
    String merged = mkdir("merged");
    Files.writeString(dir.resolve("l/a/top"), "a");
    Files.writeString(dir.resolve("l/b/bottom"), "b");
    mounter.mountFrom(dir, new Mount("overlay", "overlay", merged,
        List.of("lowerdir=l/a:l/b", "upperdir=upper", "workdir=work")));

    assertEquals("a", Files.readString(Path.of(merged, "top")));
    assertEquals("b", Files.readString(Path.of(merged, "bottom")));
    Files.writeString(Path.of(merged, "new"), "n");
    assertEquals("n", Files.readString(dir.resolve("upper/new")), "the relative upperdir is the one under dir");
    assertEquals(cwd, Path.of("/proc/self/cwd").toRealPath(), "the process's working directory did not move");
  }

  @Test
  void mountFrom_changesTheDirectoryOfItsOwnThreadOnly() {
    RecordingSyscalls sys = new RecordingSyscalls();
    new Mounter(sys, List::of).mountFrom(Path.of("/snapshots"),
        new Mount("overlay", "overlay", "/m", List.of("lowerdir=l/a", "upperdir=u", "workdir=w")));
    assertEquals(List.of("unshare", "chdir", "mount"), sys.calls().stream().map(c -> c.name()).toList());
    assertEquals(dev.kona.linux.syscall.CloneFlags.CLONE_FS, sys.calls().get(0).args().get(0));
    assertEquals("/snapshots", sys.calls().get(1).args().get(0));
  }

  @Test
  void overlay_writesGoToUpper() throws IOException {
    String lower = mkdir("lower");
    String upper = mkdir("upper");
    String work = mkdir("work");
    String merged = mkdir("merged");
    Files.writeString(Path.of(lower, "base"), "from-lower");
    mounter.mount(Mount.overlay(List.of(lower), upper, work, merged));

    assertEquals("from-lower", Files.readString(Path.of(merged, "base")));
    Files.writeString(Path.of(merged, "new"), "written");
    assertEquals("written", Files.readString(Path.of(upper, "new")));
    assertFalse(Files.exists(Path.of(lower, "new")));
  }

  @Test
  void remountReadOnly_keepsNosuid() throws IOException {
    String t = mkdir("rr");
    mounter.mount(Mount.tmpfs(t, "nosuid", "size=1m"));
    mounter.remountReadOnly(t, false);
    MountInfo m = MountTable.at(t);
    assertTrue(m.readOnly());
    assertTrue(m.mountOptions().contains("nosuid"));
  }

  @Test
  void setPropagation_sharedThenSlave() throws IOException {
    String t = mkdir("prop");
    mounter.mount(Mount.tmpfs(t, "size=1m"));
    mounter.setPropagation(t, MS_SHARED);
    assertEquals("shared", MountTable.at(t).propagation());
    mounter.setPropagation(t, MS_PRIVATE);
    assertEquals("private", MountTable.at(t).propagation());
  }

  @Test
  void mountAll_failureRollsBackEarlierMounts() throws IOException {
    String a = mkdir("a");
    String b = mkdir("b");
    List<Mount> mounts = List.of(
        Mount.tmpfs(a, "size=1m"),
        Mount.bind(dir.resolve("does-not-exist").toString(), b, "rbind"));

    NotFoundException e = assertThrows(NotFoundException.class, () -> mounter.mountAll(mounts));

    assertTrue(e.getMessage().contains("does-not-exist"), e.getMessage());
    assertFalse(MountTable.isMountPoint(a), "first mount rolled back");
  }

  @Test
  void unmount_busy_detaches() throws IOException {
    String t = mkdir("busy");
    mounter.mount(Mount.tmpfs(t, "size=1m"));
    Files.writeString(Path.of(t, "open"), "x");
    try (InputStream held = Files.newInputStream(Path.of(t, "open"))) {
      assertTrue(mounter.unmount(t));
      assertFalse(MountTable.isMountPoint(t));
      assertEquals('x', held.read(), "detached mount stays usable by its holder");
    }
  }

  @Test
  void unmount_notMounted_isFalse() throws IOException {
    assertFalse(mounter.unmount(mkdir("plain")));
    assertFalse(mounter.unmount(dir.resolve("gone").toString()));
  }

  @Test
  void unmountTree_takesDownNestedAndStacked() throws IOException {
    String outer = mkdir("outer");
    mounter.mount(Mount.tmpfs(outer, "size=1m"));
    mounter.mount(Mount.tmpfs(outer, "size=1m"));
    Files.createDirectories(Path.of(outer, "inner"));
    mounter.mount(Mount.tmpfs(outer + "/inner", "size=1m"));

    assertEquals(3, mounter.unmountTree(dir.toString()));
    assertEquals(List.of(), MountTable.under(dir.toString()));
  }

  @Test
  void unmount_busyFallback_withFake() {
    RecordingSyscalls fake = new RecordingSyscalls().failNext("umount2", Errno.EBUSY, 1);
    assertTrue(new Mounter(fake, List::of).unmount("/x"));
    assertEquals("[umount2[/x, 8], umount2[/x, 10]]", fake.calls().toString());
  }

  @Test
  void bindRemountFailure_undoesBind_withFake() {
    RecordingSyscalls fake = new RecordingSyscalls();
    fake.failAlways(c -> c.name().equals("mount") && ((long) c.arg(3) & MS_REMOUNT) != 0, Errno.EPERM);

    FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
        () -> new Mounter(fake, List::of).mount(Mount.bind("/s", "/t", "ro")));

    assertTrue(e.getMessage().startsWith("mount /s /t bind ro: mount"), e.getMessage());
    assertEquals(List.of("mount", "mount", "umount2"),
        fake.calls().stream().map(RecordingSyscalls.Call::name).toList());
  }

  @Test
  void overlongOverlayData_isInvalidArgument() {
    List<String> layers = java.util.stream.IntStream.range(0, 300)
        .mapToObj(i -> "/var/lib/kona/snapshots/" + i + "/fs").toList();
    assertThrows(dev.kona.common.error.InvalidArgumentException.class,
        () -> new Mounter(new RecordingSyscalls(), List::of)
            .mount(Mount.overlay(layers, "/u", "/w", "/m")));
  }
}
