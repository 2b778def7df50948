package dev.kubeboot.runner.manifest;

import java.util.regex.Pattern;

/** The API server's name rules (apimachinery validation), for what a static pod names. */
final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern QUALIFIED_NAME_PART =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern QUANTITY =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\\d+))?");

  private static final Pattern POD_UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  static final int MAX_POD_UID = 128;

  private Names() {}

  /**
   * A pod's {@code metadata.uid}: it names the pod's log and volume directories, so it must be one
   * plain path element. The API server's UIDs (UUIDs) and kubeboot's config hashes pass.
   */
  static String podUid(String s) {
    if (s.length() > MAX_POD_UID) {
      return "must be at most " + MAX_POD_UID + " characters (it names the pod's directories)";
    }
    if (!POD_UID.matcher(s).matches() || s.contains("..")) {
      return "must be letters, digits, '-', '_' and '.' (no '..'), starting with a letter or digit,"
          + " such as a UUID: it names the pod's directories, so no '/', '..' or control characters";
    }
    return "";
  }

  /** Empty when valid, else why not. */
  static String dnsLabel(String s) {
    if (s.length() > 63) {
      return "must be at most 63 characters";
    }
    if (!DNS_LABEL.matcher(s).matches()) {
      return "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit";
    }
    return "";
  }

  static String dnsSubdomain(String s) {
    if (s.length() > 253) {
      return "must be at most 253 characters";
    }
    if (!DNS_SUBDOMAIN.matcher(s).matches()) {
      return "must be a DNS subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
    }
    return "";
  }

  /** A container port name (IANA_SVC_NAME): at most 15 characters, at least one letter, no "--". */
  static String portName(String s) {
    if (s.length() > 15) {
      return "must be at most 15 characters";
    }
    if (!IANA_SVC_NAME.matcher(s).matches() || s.contains("--") || !s.matches(".*[a-z].*")) {
      return "must be a port name: lower-case letters, digits and '-', at least one letter, no '--', starting and ending with a letter or digit";
    }
    return "";
  }

  /**
   * A label or annotation key: optional DNS-subdomain prefix and '/', then a name of at most 63.
   */
  static String qualifiedName(String s) {
    String name = s;
    int slash = s.indexOf('/');
    if (slash >= 0) {
      String prefix = s.substring(0, slash);
      if (prefix.isEmpty() || !dnsSubdomain(prefix).isEmpty()) {
        return "prefix \"" + prefix + "\" must be a DNS subdomain";
      }
      name = s.substring(slash + 1);
    }
    if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME_PART.matcher(name).matches()) {
      return "must be a qualified name: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, with an optional DNS-subdomain prefix and '/'";
    }
    return "";
  }

  static String labelValue(String s) {
    if (s.isEmpty()) {
      return "";
    }
    if (s.length() > 63 || !QUALIFIED_NAME_PART.matcher(s).matches()) {
      return "must be empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    }
    return "";
  }

  static boolean isQuantity(String s) {
    return QUANTITY.matcher(s).matches();
  }
}
