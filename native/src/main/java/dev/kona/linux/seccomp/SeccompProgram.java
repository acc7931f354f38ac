package dev.kona.linux.seccomp;

/**
 * A compiled seccomp filter: {@code bpf} is the {@code struct sock_filter} array (8 bytes per
 * instruction) to load with {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)};
 * {@code flags} are the SECCOMP_FILTER_FLAG_* bits the profile asked for (they are load-time
 * options, not part of the program).
 */
public record SeccompProgram(byte[] bpf, int flags) {
  public static final int FLAG_LOG = 2;
  public static final int FLAG_SPEC_ALLOW = 4;
  public static final int FLAG_WAIT_KILLABLE_RECV = 32;

  public SeccompProgram {
    if (bpf.length == 0 || bpf.length % 8 != 0) {
      throw new IllegalArgumentException("bpf: expected whole 8-byte instructions, got " + bpf.length + " bytes");
    }
    bpf = bpf.clone();
  }

  @Override
  public byte[] bpf() {
    return bpf.clone();
  }

  public int instructions() {
    return bpf.length / 8;
  }
}
