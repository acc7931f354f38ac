/**
 * Mounts as values ({@link dev.kona.linux.mount.Mount}), the {@link dev.kona.linux.mount.Mounter}
 * that performs and removes them in the daemon's mount namespace, and the parsed mount table
 * ({@link dev.kona.linux.mount.MountTable}) that leak checks and cleanup read.
 */
package dev.kona.linux.mount;
