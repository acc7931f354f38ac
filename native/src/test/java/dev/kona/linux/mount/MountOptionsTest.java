package dev.kona.linux.mount;

import static dev.kona.linux.syscall.MountFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {

  @Test
  void parse_flagsDataAndPropagation() {
    MountOptions o = MountOptions.parse("tmpfs",
        List.of("nosuid", "nodev", "ro", "mode=755", "size=65536k", "rprivate"));
    assertEquals(MS_NOSUID | MS_NODEV | MS_RDONLY, o.flags());
    assertEquals("mode=755,size=65536k", o.data());
    assertEquals(List.of(MS_PRIVATE | MS_REC), o.propagation());
    assertFalse(o.bind());
  }

  @Test
  void parse_laterOptionWins() {
    assertEquals(0, MountOptions.parse("tmpfs", List.of("ro", "rw")).flags());
  }

  @Test
  void parse_rbind() {
    MountOptions o = MountOptions.parse("none", List.of("rbind", "rslave"));
    assertTrue(o.bind());
    assertTrue(o.recursive());
    assertNull(o.data());
    assertEquals(List.of(MS_SLAVE | MS_REC), o.propagation());
  }
}
