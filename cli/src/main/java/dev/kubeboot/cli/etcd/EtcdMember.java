package dev.kubeboot.cli.etcd;

import java.util.List;
import java.util.Objects;

/**
 * One member of an etcd cluster as its member list shows it.
 *
 * @param id the member ID (an unsigned 64-bit number)
 * @param name empty until the member has started and published its name
 * @param peerUrls where the other members reach it
 * @param clientUrls where clients reach it; empty until it has started
 * @param learner a non-voting member that is catching up
 */
public record EtcdMember(
    long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
  public EtcdMember {
    Objects.requireNonNull(name, "name");
    peerUrls = List.copyOf(peerUrls);
    clientUrls = List.copyOf(clientUrls);
  }

  /** The ID as etcdctl prints it: lower-case hex. */
  public String idHex() {
    return Long.toHexString(id);
  }

  /** A member that has started publishes its name; one that was added but never ran has none. */
  public boolean started() {
    return !name.isEmpty();
  }

  /** Its name, or for a member that never started its hex ID (as kubeadm names it). */
  public String displayName() {
    return started() ? name : idHex();
  }

  public boolean hasPeerUrl(String url) {
    return peerUrls.contains(url);
  }
}
