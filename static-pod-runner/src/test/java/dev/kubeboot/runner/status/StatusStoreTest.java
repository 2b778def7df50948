package dev.kubeboot.runner.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.PodKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusStoreTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private final StatusStore store =
      new StatusStore(new RunnerStatus(1, T, "fake", "/m", "n1", "off", List.of(), List.of()));
  private final List<RunnerStatus> seen = new ArrayList<>();

  private static PodStatus pod(String name, String uid, PodPhase phase) {
    return new PodStatus(
        new PodKey("kube-system", name),
        uid,
        "/m/" + name + ".yaml",
        phase,
        List.of(),
        List.of(),
        List.of(),
        Optional.of(T),
        "10.0.0.1",
        "");
  }

  @Test
  void listenersSeeEveryChangeAndNothingForANoOp() {
    store.addListener(seen::add);

    store.putPod(pod("b", "u1", PodPhase.PENDING));
    store.putPod(pod("a", "u2", PodPhase.RUNNING));
    store.putPod(pod("a", "u2", PodPhase.RUNNING));

    assertThat(seen).hasSize(2);
    assertThat(seen.get(1).pods()).extracting(p -> p.key().name()).containsExactly("a", "b");
    assertThat(store.current()).isSameAs(seen.get(1));
  }

  @Test
  void removingAnOldUidLeavesTheNewPodUnderThatKey() {
    store.putPod(pod("a", "new", PodPhase.RUNNING));

    store.removePod(new PodKey("kube-system", "a"), "old");
    assertThat(store.current().pods()).hasSize(1);

    store.removePod(new PodKey("kube-system", "a"), "new");
    assertThat(store.current().pods()).isEmpty();
  }

  @Test
  void aClosedListenerHearsNoMore() throws Exception {
    AutoCloseable subscription = store.addListener(seen::add);
    subscription.close();

    store.setManifestErrors(List.of(new FileError("/m/x.yaml", "bad")));

    assertThat(seen).isEmpty();
    assertThat(store.current().manifestErrors()).containsExactly(new FileError("/m/x.yaml", "bad"));
  }
}
