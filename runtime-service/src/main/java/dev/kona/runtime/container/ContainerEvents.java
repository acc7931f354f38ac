package dev.kona.runtime.container;

/**
 * Lifecycle changes the runtime itself causes, for GetContainerEvents and the metrics. Exits a
 * container makes on its own are not reported here; whoever needs them watches the engine.
 * Implementations must not block: they run on the caller's CRI call.
 */
public interface ContainerEvents {

  void created(ContainerRecord container);

  void started(ContainerRecord container);

  void stopped(ContainerRecord container);

  void deleted(ContainerRecord container);

  ContainerEvents NONE =
      new ContainerEvents() {
        @Override
        public void created(ContainerRecord container) {}

        @Override
        public void started(ContainerRecord container) {}

        @Override
        public void stopped(ContainerRecord container) {}

        @Override
        public void deleted(ContainerRecord container) {}
      };
}
