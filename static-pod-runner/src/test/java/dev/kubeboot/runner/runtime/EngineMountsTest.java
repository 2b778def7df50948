package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker and CRI runtimes' pod directories, as removePod deletes them. */
class EngineMountsTest {
  @TempDir Path tmp;

  @Test
  void aUidThatClimbsOutDeletesNothingOutsideTheStateDir() throws Exception {
    Path state = Files.createDirectories(tmp.resolve("a/state"));
    Path victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("precious"), "keep me");
    EngineMounts mounts = new EngineMounts(state, "docker");
    PodKey pod = new PodKey("kube-system", "etcd-node1");

    assertThatThrownBy(() -> mounts.deletePodDir(pod, "x/../../../victim"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mounts.podVolumesDir(pod, "x/../../../victim"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(victim.resolve("precious")).hasContent("keep me");
  }

  @Test
  void aPodDirIsDeletedWithItsVolumes() throws Exception {
    Path state = tmp.resolve("state");
    EngineMounts mounts = new EngineMounts(state, "docker");
    PodKey pod = new PodKey("kube-system", "etcd-node1");
    Path volume = Files.createDirectories(mounts.podVolumesDir(pod, "0123").resolve("scratch"));
    Files.writeString(volume.resolve("f"), "x");

    mounts.deletePodDir(pod, "0123");

    assertThat(mounts.podDir(pod, "0123")).doesNotExist();
  }
}
