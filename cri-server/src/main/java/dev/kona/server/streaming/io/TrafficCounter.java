package dev.kona.server.streaming.io;

/** Counts payload bytes moved by the pumps, for metrics. */
public interface TrafficCounter {

  TrafficCounter NONE = new TrafficCounter() {
    @Override
    public void sentToClient(long bytes) {}

    @Override
    public void receivedFromClient(long bytes) {}
  };

  void sentToClient(long bytes);

  void receivedFromClient(long bytes);
}
