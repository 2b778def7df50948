#!/usr/bin/env bash
# The peer for P1/P1e: kubeadm's PKI, kubeconfigs and manifests made by hand with openssl 3.
# 16 private keys (10 certificate keys + 5 kubeconfig client keys + sa), 15 certificates
# (3 CAs, 7 leaves, 5 kubeconfig client certs), the sa pair, 5 kubeconfigs, 4 manifests.
# usage: openssl-pki.sh OUT_DIR [-j JOBS] [-a rsa|ec]
#   -j 1: one key at a time; -j 2: two keys at a time (xargs -P).
set -euo pipefail
out="$1"; shift
jobs=1; alg=rsa
while [ $# -gt 0 ]; do
  case "$1" in
    -j) jobs="$2"; shift 2 ;;
    -a) alg="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
pki="$out/pki"
mkdir -p "$pki/etcd" "$out/manifests"
umask 077
keys="ca apiserver apiserver-kubelet-client front-proxy-ca front-proxy-client etcd/ca etcd/server
  etcd/peer etcd/healthcheck-client apiserver-etcd-client sa
  kc-admin kc-super-admin kc-kubelet kc-controller-manager kc-scheduler"
genkey() {
  if [ "$alg" = ec ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
  else
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null
  fi
}
export -f genkey; export alg
# shellcheck disable=SC2086
printf '%s\n' $keys | sed "s|^|$pki/|" | xargs -P "$jobs" -I{} bash -c 'genkey "$1"' _ {}
openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"

ca() { # name CN
  openssl req -x509 -new -key "$pki/$1.key" -subj "/CN=$2" -days 3650 -out "$pki/$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" 2>/dev/null
}
leaf() { # name ca subject eku [san]
  local ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$4"
  [ -n "${5:-}" ] && ext="$ext
subjectAltName=$5"
  openssl req -new -key "$pki/$1.key" -subj "$3" 2>/dev/null |
    openssl x509 -req -CA "$pki/$2.crt" -CAkey "$pki/$2.key" -CAcreateserial -days 365 \
      -extfile <(echo "$ext") -out "$pki/$1.crt" 2>/dev/null
}
ca ca kubernetes
ca front-proxy-ca front-proxy-ca
ca etcd/ca etcd-ca
leaf apiserver ca /CN=kube-apiserver serverAuth \
  "DNS:n1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:127.0.0.1"
leaf apiserver-kubelet-client ca "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" clientAuth
leaf front-proxy-client front-proxy-ca /CN=front-proxy-client clientAuth
leaf etcd/server etcd/ca /CN=n1 serverAuth,clientAuth "DNS:n1,DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"
leaf etcd/peer etcd/ca /CN=n1 serverAuth,clientAuth "DNS:n1,DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"
leaf etcd/healthcheck-client etcd/ca /CN=kube-etcd-healthcheck-client clientAuth
leaf apiserver-etcd-client etcd/ca /CN=kube-apiserver-etcd-client clientAuth
leaf kc-admin ca "/O=kubeadm:cluster-admins/CN=kubernetes-admin" clientAuth
leaf kc-super-admin ca "/O=system:masters/CN=kubernetes-super-admin" clientAuth
leaf kc-kubelet ca "/O=system:nodes/CN=system:node:n1" clientAuth
leaf kc-controller-manager ca /CN=system:kube-controller-manager clientAuth
leaf kc-scheduler ca /CN=system:kube-scheduler clientAuth

kubeconfig() { # file user
  local k="$pki/kc-$1"
  cat > "$out/$1.conf" <<KC
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
    server: https://127.0.0.1:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: $2
  name: $2@kubernetes
current-context: $2@kubernetes
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 "$k.crt")
    client-key-data: $(base64 -w0 "$k.key")
KC
  rm -f "$k.crt" "$k.key"
}
kubeconfig admin kubernetes-admin
kubeconfig super-admin kubernetes-super-admin
kubeconfig kubelet system:node:n1
kubeconfig controller-manager system:kube-controller-manager
kubeconfig scheduler system:kube-scheduler
for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do
  cat > "$out/manifests/$c.yaml" <<M
apiVersion: v1
kind: Pod
metadata:
  name: $c
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
  - name: $c
    image: registry.k8s.io/$c:v1.34.2
    command: ["$c"]
M
done
