package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpirationReportTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "expired more than a second ago is invalid, -5, <invalid>",
    "expired within the last second counts as now, -1, 0s",
    "seconds below a minute, 59, 59s",
    "minutes below an hour, 3599, 59m",
    "hours below a day, 86399, 23h",
    "days below a year, 31535999, 364d",
    "years, 315360000, 10y",
  })
  void residualTimeIsKubernetesShortHumanDuration(String name, long seconds, String expected) {
    assertThat(KubeadmText.shortHumanDuration(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a short column is at least 10 wide | a,b,tail | a         b         tail",
        "a wide column is its widest cell plus 3 | abcdefghij,b,tail | abcdefghij   b         tail",
      })
  void columnsAreLaidOutLikeGoTabwriter(String name, String cells, String expected) {
    var out = new StringBuilder();
    KubeadmText.tabulate(List.of(List.of(cells.split(","))), out);
    assertThat(out.toString()).isEqualTo(expected + "\n");
  }

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static ExpirationReport report() {
    return new ExpirationReport(
        List.of(
            new ExpirationReport.Row(
                "admin.conf", Optional.of(Instant.parse("2027-01-01T00:00:00Z")), "ca", false),
            new ExpirationReport.Row("apiserver", Optional.empty(), "ca", false)),
        List.of(
            new ExpirationReport.Row(
                "ca", Optional.of(Instant.parse("2036-01-01T00:00:00Z")), null, true)));
  }

  @Test
  void yamlIsKubeadmsCertificateExpirationInfoThroughGosYamlPrinter() {
    assertThat(report().yaml(NOW))
        .isEqualTo(
            """
            apiVersion: output.kubeadm.k8s.io/v1alpha3
            certificateAuthorities:
            - expirationDate: "2036-01-01T00:00:00Z"
              externallyManaged: true
              missing: false
              name: ca
              residualTime: 315532800
            certificates:
            - caName: ca
              expirationDate: "2027-01-01T00:00:00Z"
              externallyManaged: false
              missing: false
              name: admin.conf
              residualTime: 31536000
            - caName: ca
              expirationDate: null
              externallyManaged: false
              missing: true
              name: apiserver
              residualTime: 0
            kind: CertificateExpirationInfo
            """);
  }

  @Test
  void jsonIsKubeadmsCertificateExpirationInfoThroughGosJsonPrinter() {
    assertThat(report().json(NOW))
        .isEqualTo(
            """
            {
                "kind": "CertificateExpirationInfo",
                "apiVersion": "output.kubeadm.k8s.io/v1alpha3",
                "certificates": [
                    {
                        "name": "admin.conf",
                        "expirationDate": "2027-01-01T00:00:00Z",
                        "residualTime": 31536000,
                        "externallyManaged": false,
                        "caName": "ca",
                        "missing": false
                    },
                    {
                        "name": "apiserver",
                        "expirationDate": null,
                        "residualTime": 0,
                        "externallyManaged": false,
                        "caName": "ca",
                        "missing": true
                    }
                ],
                "certificateAuthorities": [
                    {
                        "name": "ca",
                        "expirationDate": "2036-01-01T00:00:00Z",
                        "residualTime": 315532800,
                        "externallyManaged": true,
                        "missing": false
                    }
                ]
            }
            """);
  }
}
