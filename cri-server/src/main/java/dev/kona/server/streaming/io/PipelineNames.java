package dev.kona.server.streaming.io;

/** Names of the handlers the protocol upgrades find and replace in a connection's pipeline. */
public final class PipelineNames {

  public static final String HTTP_CODEC = "http";
  public static final String HTTP_AGGREGATOR = "http-aggregator";
  public static final String FLOW = "flow";
  public static final String ROUTER = "router";

  private PipelineNames() {}
}
