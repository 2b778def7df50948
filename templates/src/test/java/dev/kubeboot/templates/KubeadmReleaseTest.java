package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeadmReleaseTest {

  @ParameterizedTest(
      name =
          "{0}: etcd {1}, creationTimestamp null {2}, probe-port {3}, scheduler livez {4},"
              + " kubelet local mode {5}")
  @CsvSource({
    "v1.31.0, 3.5.15-0, true, false, false, false",
    "v1.31.13, 3.5.15-0, true, false, false, false",
    "v1.31.14, 3.5.24-0, true, false, false, false",
    "v1.32.0, 3.5.16-0, true, false, true, false",
    "v1.32.10, 3.5.24-0, true, false, true, false",
    "v1.33.0-rc.1, 3.5.21-0, false, false, true, true",
    "v1.33.5, 3.5.21-0, false, false, true, true",
    "v1.33.6, 3.5.24-0, false, false, true, true",
    "v1.34.0, 3.6.4-0, false, true, true, true",
    "v1.34.1, 3.6.4-0, false, true, true, true",
    "v1.34.2, 3.6.5-0, false, true, true, true",
    "v1.34.7, 3.6.5-0, false, true, true, true"
  })
  void factsPerRelease(
      String version,
      String etcdTag,
      boolean creationTimestampNull,
      boolean namedProbePort,
      boolean schedulerLivezReadyz,
      boolean localMode) {
    KubeadmRelease release = KubernetesVersion.parse(version).kubeadmRelease();
    assertThat(release.etcdImageTag()).isEqualTo(etcdTag);
    assertThat(release.creationTimestampNull()).isEqualTo(creationTimestampNull);
    assertThat(release.namedProbePort()).isEqualTo(namedProbePort);
    assertThat(release.schedulerLivezReadyz()).isEqualTo(schedulerLivezReadyz);
    assertThat(release.controlPlaneKubeletLocalModeDefault()).isEqualTo(localMode);
  }

  @ParameterizedTest(name = "{0}: pause {1}, CoreDNS {2}")
  @CsvSource({
    "v1.31.0, 3.10, v1.11.3",
    "v1.31.14, 3.10, v1.11.3",
    "v1.32.10, 3.10, v1.11.3",
    "v1.33.0, 3.10, v1.12.0",
    "v1.33.6, 3.10, v1.12.0",
    "v1.34.0, 3.10.1, v1.12.1",
    "v1.34.2, 3.10.1, v1.12.1"
  })
  void pauseAndCoreDnsPerRelease(String version, String pause, String coreDns) {
    KubeadmRelease release = KubernetesVersion.parse(version).kubeadmRelease();
    assertThat(release.pauseImageTag()).isEqualTo(pause);
    assertThat(release.coreDnsImageTag()).isEqualTo(coreDns);
  }

  @Test
  void everyRowNamesItsKubeadmSourceAndTheTableIsOrdered() {
    KubeadmRelease previous = null;
    for (KubeadmRelease row : KubeadmRelease.TABLE) {
      assertThat(row.source()).as(row.since().text()).contains("kubeadm");
      if (previous != null) {
        assertThat(row.since()).isGreaterThan(previous.since());
      }
      previous = row;
    }
  }

  @Test
  void versionsOutsideTheTableAreRefused() {
    assertThatThrownBy(() -> KubernetesVersion.parse("v1.30.14").kubeadmRelease())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("v1.31 through v1.34");
  }
}
