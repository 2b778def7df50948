package dev.kubeboot.runner.pod;

import java.util.Objects;

/**
 * A pod volume; static control-plane pods only use hostPath, others are carried so runtimes can
 * refuse them.
 */
public record Volume(String name, VolumeSource source) {
  public Volume {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
  }
}
