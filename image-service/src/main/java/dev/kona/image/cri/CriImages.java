package dev.kona.image.cri;

import dev.kona.cri.api.v1.Image;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.Int64Value;
import dev.kona.image.store.ImageRecord;

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
      if (name.chars().allMatch(Character::isDigit)) {
        image.setUid(Int64Value.newBuilder().setValue(Long.parseLong(name)));
      } else {
        image.setUsername(name);
      }
    }
    return image.build();
  }
}
