package dev.kubeboot.runner.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MailboxTest {
  private final Mailbox<String> mailbox = new Mailbox<>("terminate"::equals);

  @Test
  void theNewestUpdateWins() throws Exception {
    mailbox.offer("v1");
    mailbox.offer("v2");
    mailbox.offer("v3");
    assertThat(mailbox.take()).isEqualTo("v3");
  }

  @Test
  void aPendingTerminateIsNeverReplacedByALaterUpdate() throws Exception {
    mailbox.offer("v1");
    mailbox.offer("terminate");
    mailbox.offer("v2");
    assertThat(mailbox.take()).isEqualTo("terminate");
  }

  @Test
  void anUpdateAfterATakenTerminateIsDeliveredAgain() throws Exception {
    mailbox.offer("terminate");
    mailbox.take();
    mailbox.offer("v2");
    assertThat(mailbox.take()).isEqualTo("v2");
  }

  @Test
  void takeWaitsForAnOffer() throws Exception {
    CompletableFuture<String> taken = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                taken.complete(mailbox.take());
              } catch (InterruptedException e) {
                taken.completeExceptionally(e);
              }
            });
    Thread.sleep(20);
    assertThat(taken).isNotDone();
    mailbox.offer("v1");
    assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
  }
}
