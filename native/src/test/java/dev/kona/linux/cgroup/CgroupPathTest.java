package dev.kona.linux.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class CgroupPathTest {

  @Test
  void parse_normalizesTrailingSlash() {
    assertEquals("/kubepods/burstable", CgroupPath.parse("/kubepods/burstable/").value());
    assertTrue(CgroupPath.parse("/").isRoot());
  }

  @Test
  void parse_rejectsRelativeAndDotDot() {
    assertThrows(InvalidArgumentException.class, () -> CgroupPath.parse("kubepods"));
    assertThrows(InvalidArgumentException.class, () -> CgroupPath.parse("/kubepods/../etc"));
    assertThrows(InvalidArgumentException.class, () -> CgroupPath.parse("/a//b"));
  }

  @Test
  void childParentName() {
    CgroupPath pod = CgroupPath.parse("/kubepods/pod1");
    assertEquals("/kubepods/pod1/c1", pod.child("c1").value());
    assertEquals("/kubepods", pod.parent().value());
    assertEquals(CgroupPath.ROOT, CgroupPath.parse("/kubepods").parent());
    assertEquals("pod1", pod.name());
    assertThrows(InvalidArgumentException.class, () -> pod.child("a/b"));
  }

  @Test
  void systemdSlice_expandsDashesIntoNesting() {
    assertEquals("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice",
        SystemdSlice.expand("kubepods-burstable-pod1234_5678.slice").value());
    assertEquals("/kubepods.slice", SystemdSlice.expand("kubepods.slice").value());
    assertEquals("/", SystemdSlice.expand("-.slice").value());
  }

  @Test
  void systemdSlice_rejectsMalformed() {
    assertThrows(InvalidArgumentException.class, () -> SystemdSlice.expand("kubepods"));
    assertThrows(InvalidArgumentException.class, () -> SystemdSlice.expand("a--b.slice"));
    assertThrows(InvalidArgumentException.class, () -> SystemdSlice.expand("-a.slice"));
    assertThrows(InvalidArgumentException.class, () -> SystemdSlice.expand("a/b.slice"));
  }

  @Test
  void driver_containerPaths() {
    assertEquals("/kubepods/besteffort/pod9/abc",
        CgroupDriver.CGROUPFS.containerCgroupsPath("/kubepods/besteffort/pod9", "kona", "abc"));
    String spec = CgroupDriver.SYSTEMD.containerCgroupsPath("kubepods-besteffort-pod9.slice", "kona", "abc");
    assertEquals("kubepods-besteffort-pod9.slice:kona:abc", spec);
    assertEquals("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod9.slice/kona-abc.scope",
        CgroupDriver.SYSTEMD.resolve(spec).value());
    assertEquals("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod9.slice",
        CgroupDriver.SYSTEMD.podPath("kubepods-besteffort-pod9.slice").value());
    assertThrows(InvalidArgumentException.class, () -> CgroupDriver.SYSTEMD.resolve("/kubepods/x"));
    assertEquals(CgroupDriver.SYSTEMD, CgroupDriver.parse("systemd"));
  }
}
