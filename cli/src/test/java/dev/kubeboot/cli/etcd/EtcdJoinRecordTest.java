package dev.kubeboot.cli.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdJoinRecordTest {
  @Test
  void round_trips_through_its_text() {
    var record =
        new EtcdJoinRecord(
            "https://[fd00::2]:2380", List.of("https://10.0.0.1:2379", "https://10.0.0.3:2379"));

    assertThat(new String(record.toBytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "peer-url https://[fd00::2]:2380\n"
                + "endpoints https://10.0.0.1:2379,https://10.0.0.3:2379\n");
    assertThat(EtcdJoinRecord.parse(record.toBytes())).contains(record);
  }

  @Test
  void text_that_is_no_record_is_ignored() {
    assertThat(EtcdJoinRecord.parse(new byte[0])).isEmpty();
    assertThat(EtcdJoinRecord.parse("endpoints https://a:2379\n".getBytes())).isEmpty();
    assertThat(EtcdJoinRecord.parse("peer-url \nendpoints https://a:2379\n".getBytes())).isEmpty();
    assertThat(EtcdJoinRecord.parse("peer-url https://b:2380\r\n".getBytes()))
        .contains(new EtcdJoinRecord("https://b:2380", List.of()));
  }

  @Test
  void refuses_values_its_text_could_not_hold() {
    assertThatThrownBy(() -> new EtcdJoinRecord("https://a b:2380", List.of()))
        .hasMessageContaining("\"https://a b:2380\"");
    assertThatThrownBy(() -> new EtcdJoinRecord("https://b:2380", List.of("https://a,b:2379")))
        .hasMessageContaining("\"https://a,b:2379\"");
  }
}
