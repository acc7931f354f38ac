package dev.kona.image.cri;

import dev.kona.cri.api.v1.ListImagesRequest;
import dev.kona.cri.api.v1.ListImagesResponse;
import dev.kona.image.ImageService;
import dev.kona.image.store.ImageRecord;
import java.util.List;

/** ListImages: every stored image, or only the one the filter names. */
final class ListImages {

  private final ImageService images;

  ListImages(ImageService images) {
    this.images = images;
  }

  ListImagesResponse handle(ListImagesRequest request) {
    String filter = request.hasFilter() && request.getFilter().hasImage() ? request.getFilter().getImage().getImage() : "";
    List<ImageRecord> selected = filter.isEmpty() ? images.list() : images.find(filter).map(List::of).orElse(List.of());
    ListImagesResponse.Builder response = ListImagesResponse.newBuilder();
    for (ImageRecord record : selected) {
      response.addImages(CriImages.toCri(record));
    }
    return response.build();
  }
}
