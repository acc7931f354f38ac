package dev.kona.linux.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.cgroup.CgroupPath;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeUnitTest {

  @Test
  void parse_podSliceScope() {
    ScopeUnit u = ScopeUnit.parse("kubepods-besteffort-pod12.slice:kona:abc");
    assertEquals("kubepods-besteffort-pod12.slice", u.slice());
    assertEquals("kona-abc.scope", u.scope());
    assertEquals(CgroupPath.parse("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice/kona-abc.scope"),
        u.path());
    assertEquals(List.of("kubepods.slice", "kubepods-besteffort.slice", "kubepods-besteffort-pod12.slice"), u.slices());
  }

  @Test
  void parse_emptySliceIsSystemSlice_emptyPrefixIsNameOnly() {
    ScopeUnit u = ScopeUnit.parse("::abc");
    assertEquals("system.slice", u.slice());
    assertEquals("abc.scope", u.scope());
    assertEquals(List.of("system.slice"), u.slices());
  }

  @Test
  void parse_rootSlice_hasNoSlicesToMake() {
    assertEquals(List.of(), ScopeUnit.parse("-.slice:kona:abc").slices());
  }

  @Test
  void parse_cgroupfsPath_isRefusedNamingTheForm() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> ScopeUnit.parse("kubepods-besteffort-pod12.slice/abc"));
    assertTrue(e.getMessage().contains("expected slice:prefix:name"), e.getMessage());
  }

  @Test
  void parse_containerAsSlice_isRefused() {
    assertThrows(InvalidArgumentException.class, () -> ScopeUnit.parse("kona.slice:kona:child.slice"));
  }
}
