package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.JoinCommands;
import dev.kubeboot.cli.cluster.KubeconfigCluster;
import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenSecrets.StoredToken;
import dev.kubeboot.cli.token.BootstrapTokenSpec;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.runner.manifest.GoDuration;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** "token": kubeadm's bootstrap token commands. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Manage bootstrap tokens.",
      "A bootstrap token is a Secret kube-system/bootstrap-token-<id> of type"
          + " bootstrap.kubernetes.io/token; the token, [a-z0-9]{6}.[a-z0-9]{16}, lets a node join"
          + " (its id is public, its secret part must be kept private)."
    })
public final class TokenCommand implements Runnable {
  private final CliContext context;
  @Spec CommandSpec spec;

  TokenCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  public static CommandLine commandLine(CliContext context) {
    return commandLine(context, Clock.systemUTC(), new SecureRandom());
  }

  static CommandLine commandLine(CliContext context, Clock clock, SecureRandom random) {
    var line = new CommandLine(new TokenCommand(context));
    line.addSubcommand("create", new CommandLine(new Create(context, clock, random)));
    line.addSubcommand("list", new CommandLine(new ListTokens(context, clock)));
    line.addSubcommand("delete", new CommandLine(new Delete(context, clock)));
    line.addSubcommand("generate", new CommandLine(new Generate(context, random)));
    return line;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a bootstrap token on the server and print it.",
        "TOKEN, if given, is the token to store ([a-z0-9]{6}.[a-z0-9]{16}); else one is generated."
      })
  static final class Create implements Callable<Integer> {
    private final CliContext context;
    private final Clock clock;
    private final SecureRandom random;
    @Mixin ApiOptions api;

    @Parameters(arity = "0..1", paramLabel = "TOKEN", description = "The token to create.")
    String token;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = "24h0m0s",
        description =
            "How long before the token expires, e.g. 1s, 2m, 3h; 0 means never (default ${DEFAULT-VALUE}).")
    String ttl;

    @Option(
        names = "--print-join-command",
        description = "Print the whole 'kubeadm join' command for the token, not only the token.")
    boolean printJoinCommand;

    @Option(
        names = "--usages",
        split = ",",
        paramLabel = "USAGE",
        defaultValue = "signing,authentication",
        description =
            "How the token may be used: signing, authentication (default ${DEFAULT-VALUE}).")
    List<String> usages;

    @Option(
        names = "--groups",
        split = ",",
        paramLabel = "GROUP",
        defaultValue = BootstrapTokenSpec.DEFAULT_GROUP,
        description =
            "Extra groups the token authenticates as, each system:bootstrappers:... (default ${DEFAULT-VALUE}).")
    List<String> groups;

    @Option(
        names = "--description",
        paramLabel = "TEXT",
        defaultValue = "",
        description = "A human friendly description of how this token is used.")
    String description;

    Create(CliContext context, Clock clock, SecureRandom random) {
      this.context = context;
      this.clock = clock;
      this.random = random;
    }

    @Override
    public Integer call() throws Exception {
      BootstrapTokenSpec spec = spec();
      try (ClusterApi cluster = api.open(clock)) {
        String name = BootstrapTokenSecrets.secretName(spec.token().id());
        if (cluster.get(Secret.class, BootstrapTokenSecrets.NAMESPACE, name).isPresent()) {
          throw new KubebootException(
              "a token with id \""
                  + spec.token().id()
                  + "\" already exists; delete it first or"
                  + " create another");
        }
        cluster.createOrUpdate(BootstrapTokenSecrets.toSecret(spec, clock.instant()));
      }
      PrintWriter out = context.out();
      if (printJoinCommand) {
        JoinCommands commands = JoinCommands.of(KubeconfigCluster.read(api.kubeconfigPath()));
        out.println(JoinCommands.oneLine(commands.worker(spec.token().value())));
      } else {
        out.println(spec.token().value());
      }
      out.flush();
      return ExitCodes.OK;
    }

    /** Every flag checked before the API is asked anything: a bad one is a usage error. */
    private BootstrapTokenSpec spec() throws UsageException {
      BootstrapTokenString value =
          token == null
              ? BootstrapTokenString.generate(random)
              : BootstrapTokenString.parse(token)
                  .orElseThrow(
                      () ->
                          new UsageException(
                              "the token \""
                                  + token
                                  + "\" does not match [a-z0-9]{6}.[a-z0-9]{16}; leave it out to"
                                  + " have one generated"));
      Duration duration =
          GoDuration.parse(ttl)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--ttl: invalid duration \""
                              + ttl
                              + "\"; expected a Go duration such as 24h0m0s, 90m or 0 (never"
                              + " expires)"));
      try {
        return new BootstrapTokenSpec(
            value,
            description,
            Optional.of(duration),
            Optional.empty(),
            usages.stream().map(String::strip).filter(s -> !s.isEmpty()).toList(),
            groups.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the bootstrap tokens on the server.")
  static final class ListTokens implements Callable<Integer> {
    private final CliContext context;
    private final Clock clock;
    @Mixin ApiOptions api;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text (kubeadm's columns), json or yaml (output.kubeadm.k8s.io/v1alpha3).")
    String output;

    ListTokens(CliContext context, Clock clock) {
      this.context = context;
      this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
      if (!List.of("text", "json", "yaml").contains(output)) {
        throw new UsageException("-o " + output + " is not a format: use text, json or yaml");
      }
      List<StoredToken> tokens = new ArrayList<>();
      try (ClusterApi cluster = api.open(clock)) {
        for (Secret secret : cluster.list(Secret.class, BootstrapTokenSecrets.NAMESPACE)) {
          if (!BootstrapTokenSecrets.TYPE.equals(secret.getType())) {
            continue;
          }
          try {
            tokens.add(BootstrapTokenSecrets.fromSecret(secret));
          } catch (IllegalArgumentException e) {
            context.err().println(e.getMessage());
          }
        }
      }
      context.err().flush();
      context.out().print(TokenListing.format(tokens, output, clock.instant()));
      context.out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete bootstrap tokens on the server, given by id or whole token.")
  static final class Delete implements Callable<Integer> {
    private final CliContext context;
    private final Clock clock;
    @Mixin ApiOptions api;

    @Parameters(arity = "1..*", paramLabel = "TOKEN-OR-ID", description = "Tokens or token ids.")
    List<String> tokens;

    Delete(CliContext context, Clock clock) {
      this.context = context;
      this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
      List<String> ids = new ArrayList<>();
      for (String t : tokens) {
        if (BootstrapTokenString.ID.matcher(t).matches()) {
          ids.add(t);
        } else {
          ids.add(
              BootstrapTokenString.parse(t)
                  .orElseThrow(
                      () ->
                          new UsageException(
                              "\""
                                  + t
                                  + "\" is neither a token id ([a-z0-9]{6}) nor a token"
                                  + " ([a-z0-9]{6}.[a-z0-9]{16})"))
                  .id());
        }
      }
      try (ClusterApi cluster = api.open(clock)) {
        for (String id : ids) {
          if (!cluster.delete(
              Secret.class,
              BootstrapTokenSecrets.NAMESPACE,
              BootstrapTokenSecrets.secretName(id))) {
            throw new KubebootException(
                "failed to delete bootstrap token \""
                    + id
                    + "\": there is no Secret kube-system/"
                    + BootstrapTokenSecrets.secretName(id)
                    + " (see \"kubeboot token list\")");
          }
          context.out().println("bootstrap token \"" + id + "\" deleted");
          context.out().flush();
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Generate and print a bootstrap token, but do not create it on the server (for init"
              + " --token or a config file).")
  static final class Generate implements Callable<Integer> {
    private final CliContext context;
    private final SecureRandom random;

    Generate(CliContext context, SecureRandom random) {
      this.context = context;
      this.random = random;
    }

    @Override
    public Integer call() {
      context.out().println(BootstrapTokenString.generate(random).value());
      context.out().flush();
      return ExitCodes.OK;
    }
  }
}
