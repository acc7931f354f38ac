package dev.kona.cni.exec;

/** The value of CNI_COMMAND. */
public enum CniCommand {
  ADD,
  DEL,
  CHECK,
  STATUS,
  GC,
  VERSION
}
