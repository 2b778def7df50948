package dev.kubeboot.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The package rules, checked on every build: the three libraries know nothing of each other or of
 * the cli; the runner knows nothing of kubeadm; the cli reaches the runner through its front door.
 */
@AnalyzeClasses(packages = "dev.kubeboot", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule pkiImportsNoOtherModule =
      noClasses()
          .that()
          .resideInAPackage("dev.kubeboot.pki..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.kubeboot.templates..", "dev.kubeboot.runner..", "dev.kubeboot.cli..");

  @ArchTest
  static final ArchRule templatesImportNoOtherModule =
      noClasses()
          .that()
          .resideInAPackage("dev.kubeboot.templates..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.kubeboot.pki..", "dev.kubeboot.runner..", "dev.kubeboot.cli..");

  @ArchTest
  static final ArchRule theRunnerImportsNoOtherModule =
      noClasses()
          .that()
          .resideInAPackage("dev.kubeboot.runner..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.kubeboot.pki..", "dev.kubeboot.templates..", "dev.kubeboot.cli..");

  @ArchTest
  static final ArchRule noModuleCycles =
      slices().matching("dev.kubeboot.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noPackageCyclesInTheRunner =
      slices().matching("dev.kubeboot.runner.(**)").should().beFreeOfCycles();

  /**
   * kubeadm's names the runner must not carry: what a control-plane node is marked with and what
   * kubeadm's configuration is called. The cli passes the marks as data.
   */
  static final List<String> KUBEADM_NAMES =
      List.of(
          "node-role.kubernetes.io",
          "node.kubernetes.io/exclude-from-external-load-balancers",
          "kubeadm.k8s.io",
          "kubeadm-config",
          "ClusterConfiguration",
          "InitConfiguration");

  @ArchTest
  static final ArchRule theRunnerCarriesNoKubeadmNames =
      classes()
          .that()
          .resideInAPackage("dev.kubeboot.runner..")
          .should(carryNoneOf(KUBEADM_NAMES))
          .because(
              "the runner is the static-pod half of a kubelet, which knows nothing of kubeadm");

  /**
   * The runner's front door (RunnerSpec, Runners, RunnerClient and what they take and return) and
   * its data (pods, statuses, manifest decoding); never its machinery.
   */
  private static final DescribedPredicate<JavaClass> RUNNER_FRONT_DOOR =
      DescribedPredicate.describe(
          "the runner's front door or data",
          c -> {
            String name = c.getName();
            String pkg = c.getPackageName();
            return pkg.equals("dev.kubeboot.runner")
                    && !name.startsWith("dev.kubeboot.runner.RunnerConfig")
                || pkg.startsWith("dev.kubeboot.runner.pod")
                || pkg.startsWith("dev.kubeboot.runner.status")
                || pkg.equals("dev.kubeboot.runner.manifest")
                || name.equals("dev.kubeboot.runner.mirror.NodeTaint")
                // What RunnerSpec takes for the pod network, and the CIDRs it is made of.
                || name.equals("dev.kubeboot.runner.network.PodNetworkOptions")
                || name.equals("dev.kubeboot.runner.network.Cidr")
                || name.equals("dev.kubeboot.runner.runtime.LogQuery")
                || name.equals("dev.kubeboot.runner.runtime.LogRotation")
                || name.equals("dev.kubeboot.runner.runtime.LogNotFoundException")
                // A wait on an injected clock that the API retries share: no runner behaviour.
                || name.equals("dev.kubeboot.runner.worker.Sleeper")
                // A JDK trust manager the health checks share with the probes: no runner behaviour.
                || name.equals("dev.kubeboot.runner.probe.TrustAllCertificates")
                // The one way kubeboot writes files and trusts directories, the CLI's as the
                // runner's, and the no-follow recursive delete reset shares with the runtimes.
                || pkg.equals("dev.kubeboot.runner.fs")
                || name.equals("dev.kubeboot.runner.runtime.DirectoryTrees");
          });

  @ArchTest
  static final ArchRule theCliReachesTheRunnerThroughItsFrontDoor =
      noClasses()
          .that()
          .resideInAPackage("dev.kubeboot.cli..")
          .should()
          .dependOnClassesThat(
              DescribedPredicate.describe(
                  "are the runner's machinery",
                  (JavaClass c) ->
                      c.getPackageName().startsWith("dev.kubeboot.runner")
                          && !RUNNER_FRONT_DOOR.test(c)));

  /** Fails for a class whose constant pool holds one of {@code names}. */
  private static ArchCondition<JavaClass> carryNoneOf(List<String> names) {
    return new ArchCondition<>("carry none of " + names) {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        String bytes = classFile(c);
        for (String name : names) {
          if (bytes.contains(name)) {
            events.add(SimpleConditionEvent.violated(c, c.getName() + " carries \"" + name + "\""));
          }
        }
      }
    };
  }

  /** The class file as Latin-1 text: constant-pool strings of ASCII appear as they are. */
  private static String classFile(JavaClass c) {
    String resource = "/" + c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.reflect().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no class file " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }
}
