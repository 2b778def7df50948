package dev.kubeboot.runner.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  @ParameterizedTest(name = "{0} pulls {1} tag {2}")
  @CsvSource({
    "registry.k8s.io/etcd:3.5.21-0, registry.k8s.io/etcd, 3.5.21-0",
    "localhost:5000/etcd, localhost:5000/etcd, latest",
    "busybox, busybox, latest",
    "localhost:5000/etcd:1, localhost:5000/etcd, 1",
  })
  void imageReferences(String image, String repository, String tag) {
    assertThat(ImageReference.parse(image)).isEqualTo(new ImageReference(repository, tag));
  }

  @org.junit.jupiter.api.Test
  void aDigestReferenceIsPulledAsIs() {
    assertThat(ImageReference.parse("registry.k8s.io/pause@sha256:abc"))
        .isEqualTo(new ImageReference("registry.k8s.io/pause@sha256:abc", ""));
  }
}
