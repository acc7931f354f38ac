package dev.kona.linux.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTest {

  @Test
  void toStringThenParse_roundTripsEscapes() {
    Mount m = Mount.bind("/var/lib/my volume", "/run/c/rootfs/data", "rbind", "ro");
    assertEquals("/var/lib/my\\040volume /run/c/rootfs/data bind rbind,ro", m.toString());
    assertEquals(m, Mount.parse(m.toString()));
  }

  @Test
  void overlay_buildsLayerOptions() {
    Mount m = Mount.overlay(List.of("/l2", "/l1"), "/u", "/w", "/merged");
    assertEquals(List.of("lowerdir=/l2:/l1", "upperdir=/u", "workdir=/w"), m.options());
    assertEquals(List.of("lowerdir=/l1"), Mount.overlay(List.of("/l1"), null, null, "/m").options());
  }

  @Test
  void relativeTarget_isInvalidArgumentNamingField() {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> Mount.tmpfs("relative/dir"));
    assertTrue(e.getMessage().startsWith("mount target:"), e.getMessage());
  }

  @Test
  void parse_defaults_hasNoOptions() {
    assertEquals(List.of(), Mount.parse("tmpfs /x tmpfs defaults").options());
    assertThrows(InvalidArgumentException.class, () -> Mount.parse("only-two /x"));
  }
}
