package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code process.user}: numeric ids only, as the spec requires on Linux. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record User(long uid, long gid, Integer umask, List<Long> additionalGids) {

  public User {
    additionalGids = Copies.list(additionalGids);
  }

  public static User of(long uid, long gid) {
    return new User(uid, gid, null, List.of());
  }
}
