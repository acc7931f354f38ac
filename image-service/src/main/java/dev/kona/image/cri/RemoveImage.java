package dev.kona.image.cri;

import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.cri.api.v1.RemoveImageResponse;
import dev.kona.image.ImageService;

/** RemoveImage: by tag untags, by id or digest removes; an image already gone is OK. */
final class RemoveImage {

  private final ImageService images;

  RemoveImage(ImageService images) {
    this.images = images;
  }

  RemoveImageResponse handle(RemoveImageRequest request) {
    images.remove(request.getImage().getImage());
    return RemoveImageResponse.getDefaultInstance();
  }
}
