package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsNamesTest {

  @ParameterizedTest(name = "\"{0}\": subdomain {1}, wildcard {2}")
  @CsvSource({
    "node-1, true, false",
    "lb.example.com, true, false",
    "LB.example.com, false, false",
    "*.example.com, false, true",
    "-node, false, false",
    "node_1, false, false",
    "a..b, false, false",
    "'', false, false"
  })
  void checksLikeKubernetes(String name, boolean subdomain, boolean wildcard) {
    assertThat(DnsNames.isSubdomain(name)).isEqualTo(subdomain);
    assertThat(DnsNames.isWildcardSubdomain(name)).isEqualTo(wildcard);
  }
}
