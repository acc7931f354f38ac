package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.syscall.BpfCalls;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.DeviceRule;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link DeviceGate} in the kernel, as runc's {@code LoadAttachCgroupDeviceFilter}: the programs
 * attached to the cgroup are listed, the new one is loaded and attached, with
 * {@code BPF_F_REPLACE} in place of the one program there was (no instant without a policy, nor
 * with two), else alongside them ({@code BPF_F_ALLOW_MULTI}) and then the old ones detached. The
 * program fd is closed once attached: the cgroup keeps the program alive until it goes.
 */
final class BpfDeviceGate implements DeviceGate {

  private final Syscalls sys;

  BpfDeviceGate(Syscalls sys) {
    this.sys = sys;
  }

  @Override
  public void replace(Path cgroupDir, List<DeviceRule> rules) {
    DeviceFilterProgram program;
    try {
      program = DeviceFilterProgram.of(rules);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(e.getMessage(), e);
    }
    String name = cgroupDir.toString();
    try (OwnedFd cgroup = sys.open(name, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        OwnedFd loaded = new OwnedFd(BpfCalls.loadCgroupDeviceProgram(program.bytes()), sys)) {
      int[] old = BpfCalls.queryCgroupDevicePrograms(cgroup.get(), name);
      if (old.length == 1) {
        try (OwnedFd previous = byId(old[0])) {
          if (previous != null) {
            BpfCalls.replaceCgroupDeviceProgram(cgroup.get(), loaded.get(), previous.get(), name);
            return;
          }
        }
      }
      BpfCalls.attachCgroupDeviceProgram(cgroup.get(), loaded.get(), name);
      for (int id : old) {
        try (OwnedFd previous = byId(id)) {
          if (previous != null) {
            BpfCalls.detachCgroupDeviceProgram(cgroup.get(), previous.get(), name);
          }
        }
      }
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("set the device rules of cgroup " + name);
    }
  }

  /** The attached program {@code id}, or null when it went away meanwhile. */
  private OwnedFd byId(int id) {
    try {
      return new OwnedFd(BpfCalls.programFdById(id), sys);
    } catch (NativeCallException e) {
      if (e.is(Errno.ENOENT)) {
        return null;
      }
      throw e;
    }
  }
}
