package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesVersionTest {

  @ParameterizedTest(name = "{0} parses to {1}.{2}.{3}, text {4}, image tag {5}")
  @CsvSource({
    "v1.34.1, 1, 34, 1, v1.34.1, v1.34.1",
    "1.34.1, 1, 34, 1, v1.34.1, v1.34.1",
    "v1.33.0-rc.1, 1, 33, 0, v1.33.0-rc.1, v1.33.0-rc.1",
    "v1.34.1+k3s1, 1, 34, 1, v1.34.1+k3s1, v1.34.1_k3s1",
    "' v1.31.0 ', 1, 31, 0, v1.31.0, v1.31.0",
  })
  void parses(String text, int major, int minor, int patch, String canonical, String imageTag) {
    KubernetesVersion v = KubernetesVersion.parse(text);
    assertThat(v.major()).isEqualTo(major);
    assertThat(v.minor()).isEqualTo(minor);
    assertThat(v.patch()).isEqualTo(patch);
    assertThat(v.normalized().text()).isEqualTo(canonical);
    assertThat(v.imageTag()).isEqualTo(imageTag);
  }

  @org.junit.jupiter.api.Test
  void keepsTheSpellingKubeadmPrintsAndNormalizesLikeKubeadm() {
    KubernetesVersion printed = KubernetesVersion.parse("1.34.0");
    assertThat(printed.text()).isEqualTo("1.34.0");
    assertThat(printed.normalized()).isEqualTo(KubernetesVersion.parse("v1.34.0"));
    assertThat(printed.compareTo(KubernetesVersion.parse("v1.34.0"))).isZero();
  }

  @ParameterizedTest(name = "\"{0}\" is not a version")
  @ValueSource(
      strings = {
        "",
        "stable-1",
        "latest",
        "v1.34",
        "1",
        "v1.34.x",
        "vv1.34.1",
        "v01.34.1",
        "v1.34.1-",
        "v1.34.99999999999"
      })
  void rejectsNonVersionsNamingTheField(String text) {
    assertThatThrownBy(() -> KubernetesVersion.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("kubernetesVersion")
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("kubernetesVersion");
  }

  @ParameterizedTest(name = "{0} supported: {1}")
  @CsvSource({
    "v1.30.14, false",
    "v1.31.0, true",
    "v1.32.9, true",
    "v1.33.0-rc.1, true",
    "v1.34.2, true",
    "v1.34.99, true",
    "v1.35.0, false",
    "v2.31.0, false",
    "v0.34.0, false",
  })
  void supportsV131ThroughV134(String text, boolean supported) {
    KubernetesVersion v = KubernetesVersion.parse(text);
    assertThat(v.isSupported()).isEqualTo(supported);
    if (supported) {
      assertThat(v.requireSupported()).isSameAs(v);
    } else {
      assertThatThrownBy(v::requireSupported)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("kubernetesVersion")
          .hasMessageContaining(text)
          .hasMessageContaining("v1.31 through v1.34");
    }
  }

  @Test
  void theDefaultIsASupportedV134Release() {
    assertThat(KubernetesVersion.DEFAULT.isSupported()).isTrue();
    assertThat(KubernetesVersion.DEFAULT.minor()).isEqualTo(34);
  }

  @ParameterizedTest(name = "etcd tag {0} is version {1}")
  @CsvSource({"3.6.4-0, 3.6.4", "3.4.23-0, 3.4.23", "v3.5.21, 3.5.21", "3.5.21-0_arm64, 3.5.21"})
  void etcdTags(String tag, String version) {
    assertThat(EtcdVersion.fromImageTag(tag))
        .hasValueSatisfying(v -> assertThat(v.toString()).isEqualTo(version));
  }

  @ParameterizedTest(name = "etcd tag {0} names no version")
  @ValueSource(strings = {"latest", "sha256:abc", "3.6"})
  void etcdTagsWithoutVersion(String tag) {
    assertThat(EtcdVersion.fromImageTag(tag)).isEmpty();
  }
}
