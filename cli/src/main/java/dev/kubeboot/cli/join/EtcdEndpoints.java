package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.runner.worker.Sleeper;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client URLs of the cluster's etcd members as kubeadm finds them: each stacked etcd's mirror
 * Pod ({@code component=etcd}, {@code tier=control-plane} in kube-system) carries its advertised
 * client URLs in an annotation. Retried every 500 ms up to the API call timeout until every etcd
 * Pod has it (a Pod published a moment ago may not yet).
 */
final class EtcdEndpoints {
  static final String ANNOTATION = "kubeadm.kubernetes.io/etcd.advertise-client-urls";
  private static final Duration RETRY = Duration.ofMillis(500);

  private EtcdEndpoints() {}

  static List<String> of(ClusterApi api, Duration timeout, Clock clock, Sleeper sleeper)
      throws Exception {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      String problem;
      List<String> urls = new ArrayList<>();
      List<String> without = new ArrayList<>();
      int pods = 0;
      for (Pod pod : api.list(Pod.class, "kube-system")) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null
            || !"etcd".equals(labels.get("component"))
            || !"control-plane".equals(labels.get("tier"))) {
          continue;
        }
        pods++;
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        if (value == null || value.isBlank()) {
          without.add(pod.getMetadata().getName());
        } else {
          for (String url : value.split(",")) {
            if (!url.isBlank() && !urls.contains(url.strip())) {
              urls.add(url.strip());
            }
          }
        }
      }
      if (pods == 0) {
        problem =
            "no etcd Pod (component=etcd, tier=control-plane) in kube-system at "
                + api.server()
                + ": the cluster has no stacked etcd whose members this node could join, or its"
                + " runner publishes no mirror Pods";
      } else if (!without.isEmpty()) {
        problem = "etcd Pods without the " + ANNOTATION + " annotation: " + without;
      } else {
        return urls;
      }
      Instant next = clock.instant().plus(RETRY);
      if (next.isAfter(deadline)) {
        throw new KubebootException(
            "cannot find the etcd members' client URLs within "
                + timeout.toSeconds()
                + "s (timeouts.kubernetesAPICall): "
                + problem);
      }
      sleeper.sleepUntil(next);
    }
  }
}
