package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.EnvValue;
import dev.kubeboot.runner.pod.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kubelet's {@code $(VAR)} expansion for command, args, env values and exec probes.
 *
 * <p>{@code $(NAME)} becomes the value of NAME when NAME is defined and stays as written when it is
 * not; {@code $$} is an escaped {@code $}; any other {@code $} is kept, as is an unclosed {@code
 * $(}.
 */
public final class VariableExpansion {
  private VariableExpansion() {}

  public static String expand(String input, Map<String, String> variables) {
    return expand(input, name -> Optional.ofNullable(variables.get(name)));
  }

  public static String expand(String input, Function<String, Optional<String>> lookup) {
    StringBuilder out = new StringBuilder(input.length());
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
        continue;
      }
      out.append(input, checkpoint, cursor);
      char next = input.charAt(cursor + 1);
      if (next == '$') {
        out.append('$');
        cursor += 1;
      } else if (next == '(') {
        int close = input.indexOf(')', cursor + 2);
        if (close < 0) {
          // An unclosed reference is kept; scanning goes on after the "(".
          out.append("$(");
          cursor += 1;
        } else {
          String name = input.substring(cursor + 2, close);
          out.append(lookup.apply(name).orElse("$(" + name + ")"));
          cursor = close;
        }
      } else {
        out.append('$').append(next);
        cursor += 1;
      }
      checkpoint = cursor + 1;
    }
    return out.append(input, checkpoint, input.length()).toString();
  }

  /**
   * A container's environment in declaration order, as the kubelet builds it when it makes the
   * container: a literal value expanded against the variables declared before it, a {@code
   * valueFrom} taken as it is, {@code status.podIP(s)} from the pod's IPs; a later duplicate wins.
   *
   * @param podIPs the IPs the pod's sandbox got from the pod network, primary first; empty for a
   *     hostNetwork pod (whose {@code status.podIP} the manifest reader already resolved to the
   *     node's) or one whose network gave it none, when {@code status.podIP} is ""
   */
  public static Map<String, String> resolveEnv(List<EnvVar> env, List<String> podIPs) {
    Map<String, String> resolved = new LinkedHashMap<>();
    for (EnvVar var : env) {
      String value =
          switch (var.value()) {
            case EnvValue.Literal literal -> expand(literal.text(), resolved);
            case EnvValue.Field field -> field.value();
            case EnvValue.PodIPs ips -> ips.field().format(podIPs);
          };
      resolved.remove(var.name());
      resolved.put(var.name(), value);
    }
    return resolved;
  }
}
