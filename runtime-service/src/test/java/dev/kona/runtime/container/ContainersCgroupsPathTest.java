package dev.kona.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupPath;
import org.junit.jupiter.api.Test;

/** The cgroupsPath a container gets from its pod's cgroup_parent, under each driver. */
class ContainersCgroupsPathTest {
  static final String UID = "0f4c1a2b_3c4d_4e5f_8a9b_0c1d2e3f4a5b";

  @Test
  void cgroupfs_parentPathAndId() {
    String path = Containers.cgroupsPath(CgroupDriver.CGROUPFS, "/kubepods/besteffort/pod" + UID, "abc");
    assertEquals("/kubepods/besteffort/pod" + UID + "/abc", path);
    assertEquals(CgroupPath.parse("/kubepods/besteffort/pod" + UID + "/abc"), CgroupDriver.CGROUPFS.resolve(path));
  }

  @Test
  void cgroupfs_noParent_underKona() {
    assertEquals("/kona/abc", Containers.cgroupsPath(CgroupDriver.CGROUPFS, "", "abc"));
  }

  @Test
  void systemd_podSlice_isSlicePrefixName() {
    String slice = "kubepods-besteffort-pod" + UID + ".slice";
    String path = Containers.cgroupsPath(CgroupDriver.SYSTEMD, slice, "abc");
    assertEquals(slice + ":kona:abc", path);
    assertEquals(CgroupPath.parse("/kubepods.slice/kubepods-besteffort.slice/" + slice + "/kona-abc.scope"),
        CgroupDriver.SYSTEMD.resolve(path));
  }

  @Test
  void systemd_noParent_inKonaSlice() {
    String path = Containers.cgroupsPath(CgroupDriver.SYSTEMD, "", "abc");
    assertEquals("kona.slice:kona:abc", path);
    assertEquals(CgroupPath.parse("/kona.slice/kona-abc.scope"), CgroupDriver.SYSTEMD.resolve(path));
  }
}
