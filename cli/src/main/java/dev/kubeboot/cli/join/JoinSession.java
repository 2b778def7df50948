package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.AdvertiseAddressDetector;
import dev.kubeboot.cli.config.ClusterConfiguration;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.JoinConfigReader;
import dev.kubeboot.cli.config.JoinConfiguration;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.init.InitContext;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.DryRunFileSink;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.cli.workflow.PlannedStep;
import dev.kubeboot.cli.workflow.Workflow;
import dev.kubeboot.runner.worker.Sleeper;
import dev.kubeboot.templates.InvalidInputException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One {@code kubeboot join} (or join phase): check the request, find the cluster and check its CA
 * (discovery), read its configuration with the bootstrap token, make this node's configuration from
 * it, then run the chosen join phases over init's run data. Nothing is written before discovery and
 * the configuration read have succeeded.
 */
public final class JoinSession {
  /** How long one discovery request may take. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final PrintWriter err;
  private final Clock clock;
  private final Map<String, String> environment;
  private final InitSession.RunnerControlFactory runners;

  public JoinSession(
      PrintWriter out,
      PrintWriter err,
      Clock clock,
      Map<String, String> environment,
      InitSession.RunnerControlFactory runners) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.environment = Map.copyOf(environment);
    this.runners = runners;
  }

  /**
   * @param only phase paths to run (empty: all)
   * @param skip phase paths to leave out (added to the JoinConfiguration's skipPhases)
   * @return the paths of the steps that ran
   */
  public List<String> run(JoinOptions options, Collection<String> only, Collection<String> skip)
      throws Exception {
    JoinConfiguration joinConfig = readConfig(options);
    JoinRequest request = JoinRequest.of(joinConfig, options);
    Workflow<JoinContext> workflow = JoinPhases.workflow();
    var allSkips = new ArrayList<String>(skip);
    allSkips.addAll(joinConfig.skipPhases());
    List<PlannedStep<JoinContext>> plan = workflow.plan(only, allSkips);
    boolean runnerStarts =
        workflow.plan(List.of(), allSkips).stream().anyMatch(s -> s.path().equals("runner-start"));
    InitOptions nodeOptions = options.nodeOptions(joinConfig.dryRun());
    boolean dryRun = nodeOptions.dryRun();
    var printer = new Printer(out);

    printer.phase(
        "preflight", "Running pre-flight checks before initializing the new control plane");
    Duration discoveryTimeout =
        joinConfig.effectiveTimeouts().discovery() != null
            ? joinConfig.effectiveTimeouts().discovery()
            : Duration.ofMinutes(5);
    DiscoveredCluster cluster = discover(request, discoveryTimeout, printer);
    ClusterConfiguration clusterConfig =
        new ClusterConfigDownload(CALL_TIMEOUT).read(cluster, request.token());
    printer.phase(
        "preflight",
        "Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"");
    if (clusterConfig.controlPlaneEndpoint().isEmpty()) {
      throw new KubebootException(
          "unable to add a new control plane instance to a cluster that doesn't have a stable"
              + " controlPlaneEndpoint address: the cluster at "
              + cluster.server()
              + " was initialised without --control-plane-endpoint; nothing was written");
    }
    KubeadmConfig config = resolve(options, nodeOptions, clusterConfig, request);
    FileSink sink = dryRun ? new DryRunFileSink(out, true) : new AtomicFileSink();
    var session = new InitSession(out, err, clock, environment, runners);
    InitContext node =
        session.context(
            nodeOptions,
            config,
            sink,
            printer,
            runnerStarts,
            dryRun ? InitSession::dryRunApi : InitSession::kubeconfigApi);
    EtcdMembership etcd =
        dryRun ? EtcdMembership.dryRun() : new StackedEtcdJoin(clock, Sleeper.of(clock));
    var context = new JoinContext(node, cluster, request.token(), request.certificateKey(), etcd);
    List<String> unmet = Workflow.unmetPrerequisites(plan, context);
    if (!unmet.isEmpty()) {
      throw new KubebootException(String.join("\n", unmet));
    }
    InitSession.requireTrustedDirectories(node, nodeOptions);
    try {
      Workflow.run(plan, context, step -> {});
    } finally {
      node.closeApi();
    }
    List<String> ran = plan.stream().map(PlannedStep::path).toList();
    if (only.isEmpty() && !dryRun) {
      closingMessage(node, ran.contains("wait-control-plane"));
    }
    return ran;
  }

  private JoinConfiguration readConfig(JoinOptions options) throws UsageException {
    if (options.config == null) {
      return JoinConfiguration.unset();
    }
    try {
      JoinConfigReader.Reading reading = new JoinConfigReader().read(options.config);
      reading.warnings().forEach(w -> err.println("W " + w));
      err.flush();
      return reading.config();
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private DiscoveredCluster discover(JoinRequest request, Duration timeout, Printer printer)
      throws KubebootException, InterruptedException {
    if (request.discoveryFile().isPresent()) {
      return FileDiscovery.read(request.discoveryFile().get());
    }
    String endpoint = request.endpoint().orElseThrow();
    printer.phase(
        "discovery", "Reading cluster-info from %s with token %s", endpoint, request.token().id());
    DiscoveredCluster cluster =
        new TokenDiscovery(timeout, CALL_TIMEOUT, clock, Sleeper.of(clock))
            .discover(
                endpoint, request.token(), request.pins(), request.unsafeSkipCaVerification());
    printer.phase(
        "discovery",
        "Cluster info signature and contents are valid and the CA is pinned; will use API Server %s",
        cluster.server());
    return cluster;
  }

  private KubeadmConfig resolve(
      JoinOptions options,
      InitOptions nodeOptions,
      ClusterConfiguration clusterConfig,
      JoinRequest request)
      throws UsageException {
    try {
      var loader =
          new InitConfigLoader(
              nodeOptions.nodePaths(),
              InitSession::hostname,
              () -> new AdvertiseAddressDetector().detect());
      KubeadmConfig config =
          loader.resolveJoin(
              clusterConfig,
              request.config(),
              request.flags(),
              options.node.kubernetesDir().isPresent());
      config.warnings().forEach(w -> err.println("W " + w));
      err.flush();
      return config;
    } catch (ConfigException | InvalidInputException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private void closingMessage(InitContext node, boolean waited) {
    var w = out;
    String adminConf = node.layout().kubeconfig("admin.conf").toString();
    w.println();
    boolean localEtcd = node.config().cluster().etcd() instanceof LocalEtcd;
    w.println(
        waited
            ? "This node has joined the cluster and a new control plane instance was created:"
            : "This node's control-plane files are written"
                + (localEtcd ? " and its etcd member joined" : "")
                + "; the control plane was not waited for (wait-control-plane skipped):");
    w.println();
    w.println(
        "* Certificate signing request was not needed: the shared CA signed this node's certificates.");
    w.println("* The Kubelet's role is played by the static-pod runner.");
    w.println("* Control plane label and taint were applied to the new node.");
    w.println("* The Kubernetes control plane instances scaled up.");
    if (localEtcd) {
      // kubeadm says so only for a stacked etcd: an external one is left as it is.
      w.println("* A new etcd member was added to the local/stacked etcd cluster.");
    }
    w.println();
    w.println(
        "To start administering your cluster from this node, you need to run the following as a regular user:");
    w.println();
    w.println("\tmkdir -p $HOME/.kube");
    w.println("\tsudo cp -i " + adminConf + " $HOME/.kube/config");
    w.println("\tsudo chown $(id -u):$(id -g) $HOME/.kube/config");
    w.println();
    w.println(
        "Run 'kubectl get nodes' to see this node join the cluster; check it with: kubeboot status"
            + (node.layout().kubernetesDir().equals(KubeLayout.DEFAULT_KUBERNETES_DIR)
                ? ""
                : " --kubernetes-dir " + node.layout().kubernetesDir()));
    w.flush();
  }
}
