package dev.kubeboot.cli.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MemberRemovalTest {
  private static final String MINE = "https://10.0.0.3:2380";

  private static EtcdMember m(long id, boolean learner) {
    return new EtcdMember(
        id, "node" + id, List.of("https://10.0.0." + id + ":2380"), List.of(), learner);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "three healthy voters: removing one leaves a quorum",
            List.of(m(1, false), m(2, false), m(3, false)),
            Set.of(1L, 2L, 3L),
            MemberRemoval.Safe.class),
        Arguments.of(
            "one of the other two is down: removing this one breaks the quorum",
            List.of(m(1, false), m(2, false), m(3, false)),
            Set.of(1L, 3L),
            MemberRemoval.BreaksQuorum.class),
        Arguments.of(
            "two voters, the other is down: removing this one leaves no quorum",
            List.of(m(1, false), m(3, false)),
            Set.of(3L),
            MemberRemoval.BreaksQuorum.class),
        Arguments.of(
            "two voters, both healthy: one is left, a quorum of one",
            List.of(m(1, false), m(3, false)),
            Set.of(1L, 3L),
            MemberRemoval.Safe.class),
        Arguments.of(
            "a learner may always leave",
            List.of(m(1, false), m(2, false), m(3, true)),
            Set.of(),
            MemberRemoval.Safe.class),
        Arguments.of(
            "the only member is not removed",
            List.of(m(3, false)),
            Set.of(3L),
            MemberRemoval.LastMember.class),
        Arguments.of(
            "this node is no member",
            List.of(m(1, false), m(2, false)),
            Set.of(1L, 2L),
            MemberRemoval.NotAMember.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(
      String name,
      List<EtcdMember> members,
      Set<Long> healthy,
      Class<? extends MemberRemoval> expected) {
    MemberRemoval removal = MemberRemoval.decide(members, MINE, m -> healthy.contains(m.id()));
    assertThat(removal).isInstanceOf(expected);
    if (removal instanceof MemberRemoval.BreaksQuorum b) {
      assertThat(b.reason()).contains("fewer than the quorum of");
    }
  }
}
