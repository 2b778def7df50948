package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeconfigRendererTest {
  @Test
  void aKeyOnlyKubeconfigLeavesTheEmptyCaAndCertificateOutAsKubeadmsWriterDoes() {
    String text =
        new KubeconfigRenderer()
            .render(
                new KubeconfigModel(
                    "kubernetes", "https://10.0.0.5:6443", "", "kubernetes-admin", "", "S0VZ"));
    assertThat(text)
        .isEqualTo(
            """
            apiVersion: v1
            clusters:
            - cluster:
                server: https://10.0.0.5:6443
              name: kubernetes
            contexts:
            - context:
                cluster: kubernetes
                user: kubernetes-admin
              name: kubernetes-admin@kubernetes
            current-context: kubernetes-admin@kubernetes
            kind: Config
            preferences: {}
            users:
            - name: kubernetes-admin
              user:
                client-key-data: S0VZ
            """);
  }
}
