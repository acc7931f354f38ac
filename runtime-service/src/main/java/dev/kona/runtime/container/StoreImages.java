package dev.kona.runtime.container;

import dev.kona.image.ImageService;
import dev.kona.image.manifest.ImageRunConfig;
import dev.kona.image.snapshot.RootfsPlan;
import dev.kona.image.store.ImageRecord;
import dev.kona.linux.mount.Mount;
import dev.kona.linux.mount.Mounter;
import dev.kona.runtime.spec.ImageFacts;
import java.nio.file.Path;

/** {@link ContainerImages} over Kona's image store, with the overlay mounted by the native mounter. */
public final class StoreImages implements ContainerImages {

  private final ImageService images;
  private final Mounter mounter;

  public StoreImages(ImageService images, Mounter mounter) {
    this.images = images;
    this.mounter = mounter;
  }

  @Override
  public ResolvedImage resolve(String image) {
    ImageRecord record = images.find(image).orElseThrow(() ->
        new dev.kona.common.error.NotFoundException("create container: image \"" + image + "\" not found; pull it first"));
    ImageRunConfig run = images.runConfig(record);
    return new ResolvedImage(record.id().toString(), image,
        new ImageFacts(run.entrypoint(), run.cmd(), run.env(), run.workingDir(), run.user(), run.stopSignal(),
            run.volumes()));
  }

  @Override
  public void mountRootfs(String containerId, ResolvedImage image, Path target) {
    RootfsPlan plan = images.prepareRootfs(containerId, image.id());
    try {
      mount(plan, target);
    } catch (RuntimeException e) {
      images.releaseRootfs(containerId);
      throw e;
    }
  }

  @Override
  public String mountImage(String containerId, String image, Path target) {
    ImageService.MountedImage mounted = images.prepareImageMount(containerId, image);
    // The hold stays with the container's record until releaseRootfs, even if this mount fails.
    mount(mounted.plan(), target);
    return mounted.image().id().toString();
  }

  private void mount(RootfsPlan plan, Path target) {
    for (dev.kona.image.snapshot.Mount m : plan.mounts()) {
      Mount mount = new Mount(m.type(), m.source(), target.toString(), m.options());
      if (plan.mountDirectory().isPresent()) {
        // Too many layers for absolute lowerdirs in one page: the plan's paths are relative.
        mounter.mountFrom(plan.mountDirectory().get(), mount);
      } else {
        mounter.mount(mount);
      }
    }
  }

  @Override
  public void releaseRootfs(String containerId, Path target) {
    mounter.unmountTree(ContainerImages.imageMountsDir(target).toString());
    mounter.unmount(target.toString());
    images.releaseRootfs(containerId);
  }
}
