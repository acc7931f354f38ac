package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's own mounts, on the real kernel (needs root): files, directories, options, symlinks. */
class NativeEngineMountsTest extends NativeEngineTestBase {

  Spec withMounts(Spec spec, SpecMount... extra) {
    List<SpecMount> mounts = new ArrayList<>(spec.mounts());
    mounts.addAll(List.of(extra));
    return spec.withMounts(mounts);
  }

  @Test
  void bind_fileAndDirectoryWithOptions() throws IOException {
    Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 kona\n");
    Path volume = Files.createDirectories(dir.resolve("volume"));
    Spec spec = withMounts(BusyboxBundle.spec(rootfs, false, "sh", "-c",
            "cat /etc/hosts; echo written > /data/out; echo x 2>/dev/null > /etc/hosts || echo hosts read-only;"
                + " grep ' /data ' /proc/self/mountinfo | grep -q 'shared:' && echo data shared"),
        SpecMount.of("/etc/hosts", "bind", hosts.toString(), List.of("rbind", "ro", "rprivate")),
        SpecMount.of("/data", "bind", volume.toString(), List.of("rbind", "rw", "rshared")));
    ContainerId id = create("binds", spec, false);
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code(), log("binds"));
    assertEquals("written\n", Files.readString(volume.resolve("out")));
    String log = log("binds");
    assertTrue(log.contains(" stdout F 127.0.0.1 kona\n"), log);
    assertTrue(log.contains(" stdout F hosts read-only\n"), log);
    assertTrue(log.contains(" stdout F data shared\n"), log);
  }

  @Test
  void mountTarget_symlinkInImageCannotReachTheHost() throws IOException {
    Path hostDir = Files.createDirectories(dir.resolve("host-side"));
    Path image = Files.createDirectories(dir.resolve("image"));
    Path imageRoot = Files.createDirectories(image.resolve("rootfs"));
    Files.createDirectories(imageRoot.resolve("bin"));
    Files.copy(rootfs.resolve("bin/busybox"), imageRoot.resolve("bin/busybox"));
    Files.createSymbolicLink(imageRoot.resolve("bin/sh"), Path.of("busybox"));
    // A dangling absolute symlink: its target is created inside the rootfs, as runc does.
    Files.createSymbolicLink(imageRoot.resolve("escape"), hostDir);
    Spec spec = withMounts(BusyboxBundle.spec(imageRoot, false, "sh", "-c", "echo inside > /escape/x/file 2>/dev/null; exit 0"),
        SpecMount.of("/escape/x", "tmpfs", "tmpfs", List.of("nosuid")));
    ContainerId id = create("escape", spec, false);
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code());
    assertFalse(Files.exists(hostDir.resolve("x")), "the mount target was resolved on the host");
    assertTrue(Files.isDirectory(imageRoot.resolve(hostDir.toString().substring(1)).resolve("x")),
        "the target was created inside the rootfs instead");
  }
}
