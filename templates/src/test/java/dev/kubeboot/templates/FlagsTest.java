package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlagsTest {

  private static final List<Arg> DEFAULTS =
      List.of(
          Arg.of("leader-elect", "true"), Arg.of("bind-address", "127.0.0.1"), Arg.of("a", "1"));

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(
            "no extraArgs: defaults sorted by name",
            List.of(),
            List.of("--a=1", "--bind-address=127.0.0.1", "--leader-elect=true")),
        Arguments.of(
            "an extraArg replaces the default of its name",
            List.of(Arg.of("bind-address", "0.0.0.0")),
            List.of("--a=1", "--bind-address=0.0.0.0", "--leader-elect=true")),
        Arguments.of(
            "a new name is added in sorted place",
            List.of(Arg.of("v", "2")),
            List.of("--a=1", "--bind-address=127.0.0.1", "--leader-elect=true", "--v=2")),
        Arguments.of(
            "repeated extraArgs all stay, sorted by value",
            List.of(Arg.of("z", "b"), Arg.of("z", "a"), Arg.of("z", "b")),
            List.of(
                "--a=1",
                "--bind-address=127.0.0.1",
                "--leader-elect=true",
                "--z=a",
                "--z=b",
                "--z=b")),
        Arguments.of(
            "repeated extraArgs replace every default of that name",
            List.of(Arg.of("a", "3"), Arg.of("a", "2")),
            List.of("--a=2", "--a=3", "--bind-address=127.0.0.1", "--leader-elect=true")),
        Arguments.of(
            "an empty value is kept as --name=",
            List.of(Arg.of("leader-elect", "")),
            List.of("--a=1", "--bind-address=127.0.0.1", "--leader-elect=")),
        Arguments.of(
            "names compare by bytes as in Go: upper case before lower, '-' before letters",
            List.of(Arg.of("B", "x"), Arg.of("a-b", "x")),
            List.of(
                "--B=x", "--a=1", "--a-b=x", "--bind-address=127.0.0.1", "--leader-elect=true")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void mergesDefaultsWithExtraArgs(String description, List<Arg> extraArgs, List<String> expected) {
    assertThat(Flags.merge(DEFAULTS, extraArgs)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void mergeIsIndependentOfExtraArgsOrder(
      String description, List<Arg> extraArgs, List<String> expected) {
    List<Arg> reversed = new ArrayList<>(extraArgs);
    Collections.reverse(reversed);
    assertThat(Flags.merge(DEFAULTS, reversed)).containsExactlyElementsOf(expected);
  }
}
