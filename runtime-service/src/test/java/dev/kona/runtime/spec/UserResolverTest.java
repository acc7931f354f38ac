package dev.kona.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.FailedPreconditionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {

  @TempDir Path rootfs;
  UserResolver users;

  @BeforeEach
  void rootfs() throws IOException {
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), """
        root:x:0:0:root:/root:/bin/sh
        www-data:x:33:33:www-data:/var/www:/bin/false
        default-user:x:1000:1000::/home/default-user:/bin/sh
        """);
    Files.writeString(rootfs.resolve("etc/group"), """
        root:x:0:
        www-data:x:33:
        staff:x:50:
        default-user:x:1000:
        group-defined-in-image:x:50000:default-user
        """);
    users = new UserResolver(rootfs);
  }

  @Test
  void empty_isRoot() {
    assertEquals(new UserResolver.ResolvedUser(0, 0, List.of()), users.resolve("", -1, List.of()));
  }

  @Test
  void name_andNameWithGroup() {
    assertEquals(new UserResolver.ResolvedUser(33, 33, List.of()), users.resolve("www-data", -1, List.of()));
    assertEquals(new UserResolver.ResolvedUser(33, 50, List.of()), users.resolve("www-data:staff", -1, List.of()));
    assertEquals(new UserResolver.ResolvedUser(33, 1004, List.of()), users.resolve("www-data:1004", -1, List.of()));
  }

  @Test
  void uidMissingFromPasswd_runsWithGidZero() {
    assertEquals(new UserResolver.ResolvedUser(1002, 0, List.of()), users.resolve("1002", -1, List.of()));
    assertEquals(new UserResolver.ResolvedUser(1003, 1004, List.of()), users.resolve("1003:1004", -1, List.of()));
  }

  @Test
  void groupsFromImage_plusSupplemental_likeIdG() {
    // critest's predefined-group image: `id -G` prints 1000 1234 50000
    UserResolver.ResolvedUser u = users.resolve("1000", -1, List.of(1234L));
    assertEquals(1000, u.uid());
    assertEquals(1000, u.gid());
    assertEquals(List.of(50000L, 1234L), u.additionalGids());
  }

  @Test
  void runAsGroup_overridesGid() {
    assertEquals(new UserResolver.ResolvedUser(33, 7, List.of()), users.resolve("www-data", 7, List.of()));
  }

  @Test
  void unknownName_isFailedPreconditionNamingIt() {
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
        () -> users.resolve("nobody-here", -1, List.of()));
    assertEquals("resolve user \"nobody-here\": no such user in the container's /etc/passwd", e.getMessage());
  }
}
