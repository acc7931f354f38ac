/**
 * The Linux calls the daemon makes itself, through FFM: {@link dev.kona.linux.syscall.Syscalls}
 * with the kernel implementation {@link dev.kona.linux.syscall.LinuxSyscalls} and the recording
 * fake {@link dev.kona.linux.syscall.RecordingSyscalls}; {@link dev.kona.linux.syscall.OwnedFd}
 * for descriptors; {@link dev.kona.linux.syscall.DedicatedThread} for namespace calls.
 */
package dev.kona.linux.syscall;
