package dev.kona.image.cri;

import com.google.protobuf.CodedOutputStream;
import dev.kona.common.limits.AnswerBudget;
import dev.kona.cri.api.v1.Image;
import dev.kona.cri.api.v1.ListImagesRequest;
import dev.kona.cri.api.v1.ListImagesResponse;
import dev.kona.image.ImageService;
import dev.kona.image.store.ImageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * ListImages: every stored image, or only the one the filter names. The answer is fitted under the
 * CRI server's message limit, as the other List calls are ({@link AnswerBudget}): a manifest may
 * carry up to 4 MiB of annotations, so a few such images would otherwise make every ListImages of
 * the node (the kubelet's image GC and image status) fail with RESOURCE_EXHAUSTED. When the images
 * do not fit, the largest lose their annotations other than {@code io.kubernetes.*} (complete in
 * ImageStatus).
 */
final class ListImages {

  private final ImageService images;
  private final AnswerBudget budget;

  ListImages(ImageService images, int maxMessageBytes) {
    this.images = images;
    this.budget = new AnswerBudget(maxMessageBytes);
  }

  ListImagesResponse handle(ListImagesRequest request) {
    String filter = request.hasFilter() && request.getFilter().hasImage() ? request.getFilter().getImage().getImage() : "";
    List<ImageRecord> selected = filter.isEmpty() ? images.list() : images.find(filter).map(List::of).orElse(List.of());
    List<Image> items = new ArrayList<>(selected.size());
    for (ImageRecord record : selected) {
      items.add(CriImages.toCri(record));
    }
    List<Image> fitted =
        budget.fit(
            "ListImages",
            items,
            image -> CodedOutputStream.computeMessageSize(1, image),
            image ->
                image.toBuilder()
                    .setSpec(image.getSpec().toBuilder().clearAnnotations()
                        .putAllAnnotations(AnswerBudget.kubeletEntries(image.getSpec().getAnnotationsMap())))
                    .build(),
            Image::getId);
    return ListImagesResponse.newBuilder().addAllImages(fitted).build();
  }
}
