package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.pod.PodKey;
import java.nio.file.Path;

/**
 * Where the process runtime keeps its files under the state directory.
 *
 * <pre>
 * containers/&lt;id&gt;.json                                pid file of a running container
 * pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;attempt&gt;.log   output, as the kubelet's /var/log/pods
 * volumes/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;volume&gt;               emptyDir volumes
 * </pre>
 */
final class StateLayout {
  private final Path root;

  StateLayout(Path root) {
    this.root = root;
  }

  Path containersDir() {
    return root.resolve("containers");
  }

  Path pidFile(String containerId) {
    return containersDir().resolve(containerId + ".json");
  }

  Path podLogDir(PodKey pod, String podUid) {
    return root.resolve("pods").resolve(podDirName(pod, podUid));
  }

  Path logFile(PodKey pod, String podUid, String container, int attempt) {
    return podLogDir(pod, podUid).resolve(container).resolve(attempt + ".log");
  }

  Path podVolumesDir(PodKey pod, String podUid) {
    return root.resolve("volumes").resolve(podDirName(pod, podUid));
  }

  private static String podDirName(PodKey pod, String podUid) {
    return pod.namespace() + "_" + pod.name() + "_" + podUid;
  }
}
