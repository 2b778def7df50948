package dev.kubeboot.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner.pid}: written whole, owner-only, never through a link planted at its names. */
class RunnerPidFileTest {
  @TempDir Path stateDir;

  @Test
  void aLinkPlantedAtThePidFileOrItsOldTempNameIsReplacedAndItsTargetIsUntouched()
      throws Exception {
    Path victim = Files.writeString(stateDir.resolve("victim"), "precious");
    Files.createSymbolicLink(stateDir.resolve(RunnerPidFile.FILE_NAME), victim);
    Path oldTemp = Files.createSymbolicLink(stateDir.resolve(".runner.pid.tmp"), victim);
    RunnerPidFile self = RunnerPidFile.of(ProcessHandle.current());

    self.write(stateDir);

    Path file = stateDir.resolve(RunnerPidFile.FILE_NAME);
    assertThat(Files.isSymbolicLink(file)).isFalse();
    assertThat(RunnerPidFile.read(stateDir)).contains(self);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(victim).hasContent("precious");
    assertThat(Files.isSymbolicLink(oldTemp)).isTrue();
    assertThat(Files.readAllLines(file).getFirst()).isEqualTo(Long.toString(self.pid()));
  }
}
