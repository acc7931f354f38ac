package dev.kona.conformance.bench;

/** How much work each benchmark does; the defaults are the figures the issues ask for. */
record BenchSettings(int pulls, int containerCycles, int execs, int streamMebibytes, int hostNetworkPods,
    int pods, int parallelPods, int statsContainers, int pollCalls) {

  static final BenchSettings FULL = new BenchSettings(10, 50, 200, 100, 20, 100, 20, 200, 100);
  /** A few of each, to check the harness itself in a minute. */
  static final BenchSettings QUICK = new BenchSettings(2, 5, 20, 10, 3, 10, 5, 20, 10);
}
