package dev.kona.linux.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {

  @Test
  void parse_procExample() {
    MountInfo m = MountInfo.parse(
        "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue");
    assertEquals(36, m.mountId());
    assertEquals(35, m.parentId());
    assertEquals("98:0", m.device());
    assertEquals("/mnt1", m.root());
    assertEquals("/mnt2", m.mountPoint());
    assertEquals(List.of("rw", "noatime"), m.mountOptions());
    assertEquals(List.of("master:1"), m.optionalFields());
    assertEquals("ext3", m.fsType());
    assertEquals("/dev/root", m.source());
    assertEquals("slave", m.propagation());
    assertFalse(m.readOnly());
  }

  @Test
  void parse_noOptionalFields_escapedSpaces() {
    MountInfo m = MountInfo.parse(
        "412 27 0:55 / /tmp/with\\040space ro,relatime - tmpfs tmp\\040fs rw,size=1024k");
    assertEquals("/tmp/with space", m.mountPoint());
    assertEquals("tmp fs", m.source());
    assertEquals("private", m.propagation());
    assertTrue(m.readOnly());
  }

  @Test
  void parse_sharedAndSlave() {
    MountInfo m = MountInfo.parse("1 0 0:1 / /a rw shared:3 master:2 - tmpfs t rw");
    assertEquals("shared,slave", m.propagation());
  }

  @Test
  void isAtOrUnder_respectsPathBoundaries() {
    MountInfo m = MountInfo.parse("1 0 0:1 / /run/kona/x rw - tmpfs t rw");
    assertTrue(m.isAtOrUnder("/run/kona"));
    assertTrue(m.isAtOrUnder("/run/kona/x"));
    assertTrue(m.isAtOrUnder("/run/kona/"));
    assertFalse(m.isAtOrUnder("/run/kon"));
    assertTrue(m.isAtOrUnder("/"));
  }

  @Test
  void parse_garbage_isInvalidArgument() {
    assertThrows(InvalidArgumentException.class, () -> MountInfo.parse("not a mountinfo line"));
  }

  @Test
  void read_realTable_hasRoot() {
    assertTrue(MountTable.read().stream().anyMatch(m -> m.mountPoint().equals("/")));
    assertTrue(MountTable.isMountPoint("/proc"));
  }
}
