package dev.kona.runtime.spec;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a user spec ("1000", "www-data", "1000:50", "www-data:staff") against the container's
 * own /etc/passwd and /etc/group, as runc's user lookup does: a numeric uid missing from passwd
 * runs with gid 0; a name missing from passwd is an error; the user's groups from /etc/group become
 * additional gids.
 */
public final class UserResolver {

  /** The identity the container process runs with. */
  public record ResolvedUser(long uid, long gid, List<Long> additionalGids) {
    public ResolvedUser {
      additionalGids = List.copyOf(additionalGids);
    }
  }

  private record PasswdEntry(String name, long uid, long gid) {}

  private record GroupEntry(String name, long gid, List<String> members) {}

  private final Path rootfs;

  public UserResolver(Path rootfs) {
    this.rootfs = rootfs;
  }

  /**
   * @param user the user spec; empty means root
   * @param groupOverride run_as_group, or -1
   * @param supplemental supplemental groups to add
   */
  public ResolvedUser resolve(String user, long groupOverride, List<Long> supplemental) {
    return resolve(user, groupOverride, supplemental, false);
  }

  /**
   * @param strict SupplementalGroupsPolicy Strict: the image's /etc/group memberships of the user
   *     are not added, only {@code supplemental}
   */
  public ResolvedUser resolve(String user, long groupOverride, List<Long> supplemental, boolean strict) {
    String userPart = user;
    String groupPart = null;
    int colon = user.indexOf(':');
    if (colon >= 0) {
      userPart = user.substring(0, colon);
      groupPart = user.substring(colon + 1);
    }
    List<PasswdEntry> passwd = readPasswd();
    long uid;
    long gid;
    String name = null;
    if (userPart.isEmpty()) {
      uid = 0;
      gid = 0;
      name = passwd.stream().filter(p -> p.uid() == 0).map(PasswdEntry::name).findFirst().orElse("root");
    } else if (isNumber(userPart)) {
      uid = Long.parseLong(userPart);
      Optional<PasswdEntry> entry = passwd.stream().filter(p -> p.uid() == uid).findFirst();
      gid = entry.map(PasswdEntry::gid).orElse(0L);
      name = entry.map(PasswdEntry::name).orElse(null);
    } else {
      String wanted = userPart;
      PasswdEntry entry = passwd.stream().filter(p -> p.name().equals(wanted)).findFirst()
          .orElseThrow(() -> new FailedPreconditionException(
              "resolve user \"" + wanted + "\": no such user in the container's /etc/passwd"));
      uid = entry.uid();
      gid = entry.gid();
      name = entry.name();
    }
    List<GroupEntry> groups = readGroups();
    if (groupPart != null && !groupPart.isEmpty()) {
      gid = groupId(groupPart, groups);
    }
    if (groupOverride >= 0) {
      gid = groupOverride;
    }
    Set<Long> additional = new LinkedHashSet<>();
    if (name != null && !strict) {
      for (GroupEntry g : groups) {
        if (g.members().contains(name) && g.gid() != gid) {
          additional.add(g.gid());
        }
      }
    }
    additional.addAll(supplemental);
    additional.remove(gid);
    return new ResolvedUser(uid, gid, new ArrayList<>(additional));
  }

  private static long groupId(String group, List<GroupEntry> groups) {
    if (isNumber(group)) {
      return Long.parseLong(group);
    }
    return groups.stream().filter(g -> g.name().equals(group)).map(GroupEntry::gid).findFirst()
        .orElseThrow(() -> new FailedPreconditionException(
            "resolve group \"" + group + "\": no such group in the container's /etc/group"));
  }

  private List<PasswdEntry> readPasswd() {
    List<PasswdEntry> out = new ArrayList<>();
    for (String[] f : readColonFile("etc/passwd")) {
      if (f.length >= 4 && isNumber(f[2]) && isNumber(f[3])) {
        out.add(new PasswdEntry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])));
      }
    }
    return out;
  }

  private List<GroupEntry> readGroups() {
    List<GroupEntry> out = new ArrayList<>();
    for (String[] f : readColonFile("etc/group")) {
      if (f.length >= 3 && isNumber(f[2])) {
        List<String> members = f.length >= 4 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
        out.add(new GroupEntry(f[0], Long.parseLong(f[2]), members));
      }
    }
    return out;
  }

  /** Lines of a file inside the rootfs; a symlink is not followed, since it could point at the host. */
  private List<String[]> readColonFile(String relative) {
    Path file = rootfs.resolve(relative);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try {
      List<String[]> rows = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.split(":", -1));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new InvalidArgumentException("read " + relative + " in the container image: " + e.getMessage(), e);
    }
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
