<#-- A kubeconfig file as kubeadm writes it: one cluster, one user, one context.
     Layout only; every value comes from dev.kubeboot.templates.KubeconfigModel. Empty data is left
     out, as kubeadm's writer leaves it out (the key-only files of certs generate-csr). -->
apiVersion: v1
clusters:
- cluster:
<#if kc.certificateAuthorityData?has_content>
    certificate-authority-data: ${kc.certificateAuthorityData}
</#if>
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
<#if kc.clientCertificateData?has_content>
    client-certificate-data: ${kc.clientCertificateData}
</#if>
    client-key-data: ${kc.clientKeyData}
