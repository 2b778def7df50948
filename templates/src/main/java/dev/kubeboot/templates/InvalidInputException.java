package dev.kubeboot.templates;

/**
 * A value handed to the templates module that kubeadm would reject: names the configuration field,
 * the value, and what to do instead.
 */
public final class InvalidInputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  public InvalidInputException(String field, String value, String problem) {
    super(field + " \"" + value + "\": " + problem);
    this.field = field;
    this.value = value;
  }

  /** The kubeadm configuration field, e.g. {@code kubernetesVersion}. */
  public String field() {
    return field;
  }

  public String value() {
    return value;
  }
}
