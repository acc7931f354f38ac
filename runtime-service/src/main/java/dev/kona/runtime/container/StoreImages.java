package dev.kona.runtime.container;

import dev.kona.image.ImageService;
import dev.kona.image.manifest.ImageRunConfig;
import dev.kona.image.snapshot.RootfsPlan;
import dev.kona.image.store.ImageRecord;
import dev.kona.linux.mount.Mount;
import dev.kona.linux.mount.Mounter;
import dev.kona.runtime.spec.ImageFacts;
import dev.kona.common.error.InternalException;
import dev.kona.linux.syscall.IdmappedMounts;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.runtime.sandbox.SandboxLifecycle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link ContainerImages} over Kona's image store, with the overlay mounted by the native mounter. */
public final class StoreImages implements ContainerImages {

  private final ImageService images;
  private final Mounter mounter;
  private final Syscalls sys;

  public StoreImages(ImageService images, Mounter mounter, Syscalls sys) {
    this.images = images;
    this.mounter = mounter;
    this.sys = sys;
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
  public void mountRootfs(String containerId, ResolvedImage image, Path target, IdmappedRoot idmap) {
    RootfsPlan plan = images.prepareRootfs(containerId, image.id());
    try {
      // Only the top of the writable layer: new files in / are created by the namespace's root.
      Files.setAttribute(plan.upperDir(), "unix:uid", (int) idmap.hostUid());
      Files.setAttribute(plan.upperDir(), "unix:gid", (int) idmap.hostGid());
      mountIdmappedLayers(plan.lowerDirs(), target, target.resolveSibling("idmapped-layers"), idmap,
          names -> List.of("lowerdir=" + String.join(":", names), "upperdir=" + plan.upperDir(),
              "workdir=" + plan.workDir()));
    } catch (IOException e) {
      images.releaseRootfs(containerId);
      throw new InternalException("mount idmapped rootfs of " + containerId + ": " + e.getMessage(), e);
    } catch (NativeCallException e) {
      images.releaseRootfs(containerId);
      throw e.toKonaException().withContext("mount idmapped rootfs of " + containerId);
    } catch (RuntimeException e) {
      images.releaseRootfs(containerId);
      throw e;
    }
  }

  /**
   * Mounts an overlay at {@code target} of idmapped clones of {@code lowerDirs} (top first), made in
   * {@code scratch} and named 0, 1, ...: overlayfs keeps private copies of its layers, so the
   * clones come off again, and {@code scratch} goes, as soon as the overlay is mounted.
   */
  private void mountIdmappedLayers(List<Path> lowerDirs, Path target, Path scratch, IdmappedRoot idmap,
      java.util.function.Function<List<String>, List<String>> options) throws IOException {
    List<Path> mounted = new ArrayList<>();
    try (OwnedFd userns = sys.open(idmap.userns().toString(), OpenFlags.O_RDONLY, 0)) {
      Files.createDirectories(scratch);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < lowerDirs.size(); i++) {
        Path layer = Files.createDirectory(scratch.resolve(Integer.toString(i)));
        IdmappedMounts.bind(sys, lowerDirs.get(i).toString(), userns.get(), layer.toString());
        mounted.add(layer);
        names.add(Integer.toString(i));
      }
      mounter.mountFrom(scratch, new Mount("overlay", "overlay", target.toString(), options.apply(names)));
    } finally {
      for (Path layer : mounted) {
        mounter.unmount(layer.toString());
      }
      SandboxLifecycle.deleteTreeNoFollow(scratch);
    }
  }

  @Override
  public String mountImage(String containerId, String image, Path target) {
    ImageService.MountedImage mounted = images.prepareImageMount(containerId, image);
    // The hold stays with the container's record until releaseRootfs, even if this mount fails.
    mount(mounted.plan(), target);
    return mounted.image().id().toString();
  }

  @Override
  public String mountImage(String containerId, String image, Path target, IdmappedRoot idmap) {
    ImageService.MountedImage mounted = images.prepareImageMount(containerId, image);
    RootfsPlan plan = mounted.plan();
    if (plan.mounts().getFirst().type().equals("bind")) {
      mount(plan, target); // an image without layers: an empty directory, nothing to map
      return mounted.image().id().toString();
    }
    // The hold stays with the container's record until releaseRootfs, even if this mount fails.
    try {
      // The plan's lowerdirs end with the store's empty dir, as its own overlay has them.
      mountIdmappedLayers(plan.lowerDirs(), target, target.resolveSibling(target.getFileName() + "-idmapped-layers"),
          idmap, names -> List.of("ro", "lowerdir=" + String.join(":", names)));
    } catch (IOException e) {
      throw new InternalException("mount idmapped image " + image + " for " + containerId + ": " + e.getMessage(), e);
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("mount idmapped image " + image + " for " + containerId);
    }
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
