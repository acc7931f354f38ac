package dev.kona.image.cri;

import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ImageFsInfoResponse;
import dev.kona.cri.api.v1.ImageServiceGrpc;
import dev.kona.cri.api.v1.ImageStatusRequest;
import dev.kona.cri.api.v1.ImageStatusResponse;
import dev.kona.cri.api.v1.ListImagesRequest;
import dev.kona.cri.api.v1.ListImagesResponse;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.PullImageResponse;
import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.cri.api.v1.RemoveImageResponse;
import dev.kona.cri.api.v1.StreamImagesRequest;
import dev.kona.cri.api.v1.StreamImagesResponse;
import dev.kona.image.ImageService;
import io.grpc.stub.StreamObserver;

/**
 * The CRI ImageService. Each RPC is one class; this endpoint only routes. Exceptions thrown here are
 * mapped to gRPC status codes by the daemon's interceptor. RPCs not overridden answer UNIMPLEMENTED.
 */
public final class ImageServiceEndpoint extends ImageServiceGrpc.ImageServiceImplBase {

  private final ListImages listImages;
  private final ImageStatus imageStatus;
  private final PullImage pullImage;
  private final RemoveImage removeImage;
  private final ImageFsInfo imageFsInfo;
  private final StreamImages streamImages;

  /**
   * The largest message the CRI server sends and the kubelet accepts by default (the cri-server's
   * {@code CriServer.MAX_MESSAGE_BYTES}, which this module cannot see).
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  public ImageServiceEndpoint(ImageService images) {
    this(images, MAX_MESSAGE_BYTES);
  }

  /** {@code maxMessageBytes}: List answers are fitted under it. */
  public ImageServiceEndpoint(ImageService images, int maxMessageBytes) {
    this.listImages = new ListImages(images, maxMessageBytes);
    this.imageStatus = new ImageStatus(images);
    this.pullImage = new PullImage(images);
    this.removeImage = new RemoveImage(images);
    this.imageFsInfo = new ImageFsInfo(images);
    this.streamImages = new StreamImages(images);
  }

  @Override
  public void streamImages(StreamImagesRequest request, StreamObserver<StreamImagesResponse> response) {
    streamImages.handle(request, response);
  }

  @Override
  public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> response) {
    response.onNext(listImages.handle(request));
    response.onCompleted();
  }

  @Override
  public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> response) {
    response.onNext(imageStatus.handle(request));
    response.onCompleted();
  }

  @Override
  public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> response) {
    response.onNext(pullImage.handle(request));
    response.onCompleted();
  }

  @Override
  public void removeImage(RemoveImageRequest request, StreamObserver<RemoveImageResponse> response) {
    response.onNext(removeImage.handle(request));
    response.onCompleted();
  }

  @Override
  public void imageFsInfo(ImageFsInfoRequest request, StreamObserver<ImageFsInfoResponse> response) {
    response.onNext(imageFsInfo.handle(request));
    response.onCompleted();
  }
}
