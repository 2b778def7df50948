package dev.kubeboot.cli.cluster;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;

/** The RBAC objects kubeadm writes, built the way its phases build them. */
public final class Rbac {
  public static final String GROUP = "rbac.authorization.k8s.io";

  /** kubeadm's NodeBootstrapTokenAuthGroup. */
  public static final String BOOTSTRAPPERS = "system:bootstrappers:kubeadm:default-node-token";

  /** kubeadm's NodesGroup. */
  public static final String NODES = "system:nodes";

  private Rbac() {}

  public static Subject group(String name) {
    return new SubjectBuilder().withKind("Group").withName(name).build();
  }

  public static Subject user(String name) {
    return new SubjectBuilder().withKind("User").withName(name).build();
  }

  /** A Role allowing {@code get} on the named objects of one core resource. */
  public static Role getRole(String namespace, String name, String resource, String objectName) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withRules(
            new PolicyRuleBuilder()
                .withVerbs("get")
                .withApiGroups("")
                .withResources(resource)
                .withResourceNames(objectName)
                .build())
        .build();
  }

  /** A RoleBinding to the Role of the same name. */
  public static RoleBinding roleBinding(String namespace, String name, List<Subject> subjects) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewRoleRef(GROUP, "Role", name)
        .withSubjects(subjects)
        .build();
  }

  public static ClusterRoleBinding clusterRoleBinding(
      String name, String clusterRole, Subject subject) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewRoleRef(GROUP, "ClusterRole", clusterRole)
        .withSubjects(subject)
        .build();
  }

  public static ClusterRole clusterRole(String name, String verb, String resource) {
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withRules(
            new PolicyRuleBuilder()
                .withVerbs(verb)
                .withApiGroups("")
                .withResources(resource)
                .build())
        .build();
  }
}
