<#-- A kubeconfig file as kubeadm writes it: one cluster, one user, one context.
     Layout only; every value comes from dev.kubeboot.templates.KubeconfigModel. -->
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${kc.certificateAuthorityData}
    server: ${kc.server}
  name: ${kc.clusterName}
contexts:
- context:
    cluster: ${kc.clusterName}
    user: ${kc.userName}
  name: ${contextName}
current-context: ${contextName}
kind: Config
preferences: {}
users:
- name: ${kc.userName}
  user:
    client-certificate-data: ${kc.clientCertificateData}
    client-key-data: ${kc.clientKeyData}
