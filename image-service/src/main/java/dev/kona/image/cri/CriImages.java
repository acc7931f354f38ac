package dev.kona.image.cri;

import dev.kona.cri.api.v1.Image;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.Int64Value;
import dev.kona.image.store.ImageRecord;
import java.util.OptionalLong;

/** Writes an image record as the CRI {@code Image} message (the one translator out). */
final class CriImages {

  private CriImages() {}

  static Image toCri(ImageRecord record) {
    Image.Builder image =
        Image.newBuilder()
            .setId(record.id().toString())
            .addAllRepoTags(record.repoTags())
            .addAllRepoDigests(record.repoDigests())
            .setSize(record.size())
            .setPinned(record.pinned())
            .setSpec(ImageSpec.newBuilder().setImage(record.id().toString()).putAllAnnotations(record.annotations()));
    String user = record.user();
    int colon = user.indexOf(':');
    String name = colon < 0 ? user : user.substring(0, colon);
    if (!name.isEmpty()) {
      OptionalLong uid = uid(name);
      if (uid.isPresent()) {
        image.setUid(Int64Value.newBuilder().setValue(uid.getAsLong()));
      } else {
        image.setUsername(name);
      }
    }
    return image.build();
  }

  /**
   * A user of ASCII digits that fits a long is a uid; anything else (a name, digits past a long) is
   * a user name, as containerd reads it. The text comes from the image config, untrusted.
   */
  private static OptionalLong uid(String name) {
    if (!name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(name));
    } catch (NumberFormatException pastALong) {
      return OptionalLong.empty();
    }
  }
}
