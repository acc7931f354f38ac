package dev.kona.image.cri;

import dev.kona.cri.api.v1.AuthConfig;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.PullImageResponse;
import dev.kona.image.ImageService;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.store.ImageRecord;

/** PullImage: normalises the reference, pulls, and answers the image id (as containerd does). */
final class PullImage {

  private final ImageService images;

  PullImage(ImageService images) {
    this.images = images;
  }

  PullImageResponse handle(PullImageRequest request) {
    ImageReference ref = ImageReference.parse(request.getImage().getImage());
    ImageRecord record = images.pull(ref, credentials(request.getAuth()));
    return PullImageResponse.newBuilder().setImageRef(record.id().toString()).build();
  }

  static Credentials credentials(AuthConfig auth) {
    if (!auth.getAuth().isEmpty() && auth.getUsername().isEmpty()) {
      Credentials basic = Credentials.fromAuth(auth.getAuth());
      return new Credentials(basic.username(), basic.password(), auth.getIdentityToken(), auth.getRegistryToken());
    }
    return new Credentials(auth.getUsername(), auth.getPassword(), auth.getIdentityToken(), auth.getRegistryToken());
  }
}
