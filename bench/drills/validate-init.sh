#!/usr/bin/env bash
# Checks an init output directory: every kubeadm file is absent or complete and valid.
# usage: validate-init.sh KDIR [--all]   (--all: every file must be present)
# Keys parse with openssl and match their certificate; certificates verify against their CA;
# the sa pair matches; kubeconfigs and manifests parse as YAML (PyYAML, bench/tools/yaml_check.py) and a
# kubeconfig's client certificate verifies against ca.crt; the etcd data record names the etcd
# manifest's etcd-data volume. Prints problems, and "dotfiles N" for leftover dot-prefixed temp
# files; exits 1 on any problem.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
k=$1; all=${2:-}
pki="$k/pki"
bad=0
problem() { echo "PROBLEM: $*"; bad=1; }
# leaf -> CA
declare -A ca_of=(
  [ca]=- [front-proxy-ca]=- [etcd/ca]=-
  [apiserver]=ca [apiserver-kubelet-client]=ca [front-proxy-client]=front-proxy-ca
  [etcd/server]=etcd/ca [etcd/peer]=etcd/ca [etcd/healthcheck-client]=etcd/ca
  [apiserver-etcd-client]=etcd/ca)
# One openssl per key and per certificate (parse + public key), one `openssl verify` per CA for all
# of its certificates: the drill runs this twice per kill, so process count is its run time.
declare -A leaves=()
for n in "${!ca_of[@]}"; do
  key="$pki/$n.key"; crt="$pki/$n.crt"; keypub=""
  if [ -e "$key" ]; then
    keypub=$(openssl pkey -in "$key" -pubout 2>/dev/null) || problem "$key does not parse"
  elif [ -n "$all" ]; then problem "$key missing"; fi
  if [ -e "$crt" ]; then
    crtpub=$(openssl x509 -in "$crt" -noout -pubkey 2>/dev/null) || { problem "$crt does not parse"; continue; }
    [ -e "$key" ] || problem "$crt exists without its key"
    if [ -n "$keypub" ] && [ "$crtpub" != "$keypub" ]; then problem "$crt does not match $key"; fi
    c=${ca_of[$n]}; [ "$c" = - ] && c=$n
    if [ -e "$pki/$c.crt" ]; then leaves[$c]+="$crt "; else problem "$crt exists without its CA $c.crt"; fi
  elif [ -n "$all" ]; then problem "$crt missing"; fi
done
for c in "${!leaves[@]}"; do
  # shellcheck disable=SC2086 # the list is space-separated paths without spaces
  while IFS= read -r line; do
    case "$line" in *": OK") ;; *) problem "against $c.crt: $line" ;; esac
  done < <(openssl verify -CAfile "$pki/$c.crt" ${leaves[$c]} 2>&1 | grep -v '^error .* verification failed$')
done
if [ -e "$pki/sa.key" ]; then
  sapub=$(openssl pkey -in "$pki/sa.key" -pubout 2>/dev/null) || problem "sa.key does not parse"
  if [ -e "$pki/sa.pub" ] && [ "$(openssl pkey -pubin -in "$pki/sa.pub" -pubout 2>/dev/null)" != "$sapub" ]; then
    problem "sa.pub does not match sa.key"
  fi
elif [ -n "$all" ]; then problem "sa.key missing"; fi
[ -e "$pki/sa.pub" ] && [ ! -e "$pki/sa.key" ] && problem "sa.pub without sa.key"
[ -n "$all" ] && [ ! -e "$pki/sa.pub" ] && problem "sa.pub missing"
yamls=(); clients=(); tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for c in admin super-admin kubelet controller-manager scheduler; do
  f="$k/$c.conf"
  if [ -e "$f" ]; then
    yamls+=("$f")
    cert=$(sed -n 's/^ *client-certificate-data: *//p' "$f" | head -1)
    if [ -z "$cert" ]; then problem "$f has no client-certificate-data"
    elif ! base64 -d <<<"$cert" > "$tmp/$c.crt" 2>/dev/null; then problem "$f client certificate is not base64"
    else clients+=("$tmp/$c.crt"); fi
  elif [ -n "$all" ]; then problem "$f missing"; fi
done
if [ ${#clients[@]} -gt 0 ]; then
  if [ ! -e "$pki/ca.crt" ]; then problem "kubeconfigs exist without ca.crt"
  else
    while IFS= read -r line; do
      case "$line" in *": OK") ;; *) problem "kubeconfig client certificate against ca.crt: $line" ;; esac
    done < <(openssl verify -CAfile "$pki/ca.crt" "${clients[@]}" 2>&1 | grep -v '^error .* verification failed$')
  fi
fi
for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do
  f="$k/manifests/$c.yaml"
  if [ -e "$f" ]; then yamls+=("$f"); elif [ -n "$all" ]; then problem "$f missing"; fi
done
if [ ${#yamls[@]} -gt 0 ]; then
  python3 "$BENCH/tools/yaml_check.py" "${yamls[@]}" | sed 's/^/PROBLEM: /' | grep . && bad=1
fi
# a file that is neither a kubeadm file nor a dotfile would be a half-written one under its final name
while IFS= read -r f; do
  case "${f#$k/}" in
    pki/*.key|pki/*.crt|pki/sa.pub|pki/etcd/*.key|pki/etcd/*.crt|*.conf|manifests/*.yaml|.kubeboot-manifests.sha256|.kubeboot-etcd-data-dir) ;;
    *) [[ "$(basename "$f")" == .* ]] || problem "unexpected file $f" ;;
  esac
done < <(find "$k" -type f 2>/dev/null)
echo "dotfiles $(find "$k" -type f -name '.*' ! -name .kubeboot-manifests.sha256 ! -name .kubeboot-etcd-data-dir 2>/dev/null | wc -l)"
exit $bad
