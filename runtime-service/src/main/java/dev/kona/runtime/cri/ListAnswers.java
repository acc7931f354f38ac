package dev.kona.runtime.cri;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.kona.common.limits.AnswerBudget;
import dev.kona.cri.api.v1.Container;
import dev.kona.cri.api.v1.ContainerAttributes;
import dev.kona.cri.api.v1.ContainerStats;
import dev.kona.cri.api.v1.LinuxPodSandboxStats;
import dev.kona.cri.api.v1.ListContainerStatsResponse;
import dev.kona.cri.api.v1.ListContainersResponse;
import dev.kona.cri.api.v1.ListPodSandboxResponse;
import dev.kona.cri.api.v1.ListPodSandboxStatsResponse;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxAttributes;
import dev.kona.cri.api.v1.PodSandboxStats;
import java.util.List;

/**
 * The List answers of the RuntimeService kept under the gRPC message size (see
 * {@link AnswerBudget}): when the items do not fit, the largest lose their labels and annotations
 * other than the kubelet's {@code io.kubernetes.*} ones.
 */
final class ListAnswers {

  private final AnswerBudget budget;

  ListAnswers(int maxMessageBytes) {
    this.budget = new AnswerBudget(maxMessageBytes);
  }

  ListContainersResponse containers(ListContainersResponse r) {
    List<Container> items = budget.fit("ListContainers", r.getContainersList(), ListAnswers::wire,
        c -> c.toBuilder()
            .clearLabels().putAllLabels(AnswerBudget.kubeletEntries(c.getLabelsMap()))
            .clearAnnotations().putAllAnnotations(AnswerBudget.kubeletEntries(c.getAnnotationsMap())).build(),
        Container::getId);
    return items == r.getContainersList() ? r : r.toBuilder().clearContainers().addAllContainers(items).build();
  }

  ListPodSandboxResponse sandboxes(ListPodSandboxResponse r) {
    List<PodSandbox> items = budget.fit("ListPodSandbox", r.getItemsList(), ListAnswers::wire,
        p -> p.toBuilder()
            .clearLabels().putAllLabels(AnswerBudget.kubeletEntries(p.getLabelsMap()))
            .clearAnnotations().putAllAnnotations(AnswerBudget.kubeletEntries(p.getAnnotationsMap())).build(),
        PodSandbox::getId);
    return items == r.getItemsList() ? r : r.toBuilder().clearItems().addAllItems(items).build();
  }

  ListContainerStatsResponse containerStats(ListContainerStatsResponse r) {
    List<ContainerStats> items = budget.fit("ListContainerStats", r.getStatsList(), ListAnswers::wire,
        ListAnswers::trimmed, s -> s.getAttributes().getId());
    return items == r.getStatsList() ? r : r.toBuilder().clearStats().addAllStats(items).build();
  }

  ListPodSandboxStatsResponse podSandboxStats(ListPodSandboxStatsResponse r) {
    List<PodSandboxStats> items = budget.fit("ListPodSandboxStats", r.getStatsList(), ListAnswers::wire,
        s -> {
          PodSandboxAttributes a = s.getAttributes();
          LinuxPodSandboxStats.Builder linux = s.getLinux().toBuilder().clearContainers();
          s.getLinux().getContainersList().forEach(c -> linux.addContainers(trimmed(c)));
          return s.toBuilder()
              .setAttributes(a.toBuilder()
                  .clearLabels().putAllLabels(AnswerBudget.kubeletEntries(a.getLabelsMap()))
                  .clearAnnotations().putAllAnnotations(AnswerBudget.kubeletEntries(a.getAnnotationsMap())))
              .setLinux(linux).build();
        },
        s -> s.getAttributes().getId());
    return items == r.getStatsList() ? r : r.toBuilder().clearStats().addAllStats(items).build();
  }

  private static ContainerStats trimmed(ContainerStats s) {
    ContainerAttributes a = s.getAttributes();
    return s.toBuilder().setAttributes(a.toBuilder()
        .clearLabels().putAllLabels(AnswerBudget.kubeletEntries(a.getLabelsMap()))
        .clearAnnotations().putAllAnnotations(AnswerBudget.kubeletEntries(a.getAnnotationsMap()))).build();
  }

  /** Bytes of one repeated item in its response: tag, length, message. */
  private static long wire(MessageLite item) {
    return CodedOutputStream.computeMessageSize(1, item);
  }
}
