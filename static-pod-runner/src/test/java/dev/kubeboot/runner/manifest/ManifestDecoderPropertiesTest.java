package dev.kubeboot.runner.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.StaticPod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The decoder eats untrusted input: whatever the bytes, it returns a pod or a ManifestException.
 */
class ManifestDecoderPropertiesTest {
  static final Path FILE = Path.of("/etc/kubernetes/manifests/kube-apiserver.yaml");
  static final byte[] APISERVER = TestManifests.resource("kube-apiserver.yaml");
  static final byte[] ETCD = TestManifests.resource("etcd.yaml");

  final ManifestDecoder decoder =
      new ManifestDecoder(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  @Property(tries = 200)
  void randomBytesGiveAPodOrAManifestException(@ForAll byte[] content) {
    decodeOrRefuse(content);
  }

  @Property(tries = 200)
  void randomTextGivesAPodOrAManifestException(@ForAll("yamlish") String content) {
    decodeOrRefuse(content.getBytes(UTF_8));
  }

  @Property(tries = 250)
  void mutatedKubeadmManifestsGiveAPodOrAManifestException(@ForAll("mutations") byte[] content) {
    decodeOrRefuse(content);
  }

  @Property(tries = 30)
  void reformattingAndReorderingKeepTheUid(@ForAll long seed, @ForAll boolean flow)
      throws Exception {
    String uid = decoder.decode(APISERVER, FILE, "node-1").uid();
    Object tree = new Yaml().load(new String(APISERVER, UTF_8));
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(
        flow ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
    String reformatted = new Yaml(options).dump(shuffleKeys(tree, new Random(seed)));

    assertThat(decoder.decode(reformatted.getBytes(UTF_8), FILE, "node-1").uid()).isEqualTo(uid);
  }

  private void decodeOrRefuse(byte[] content) {
    try {
      StaticPod pod = decoder.decode(content, FILE, "node-1");
      assertThat(pod.uid()).isNotEmpty();
    } catch (ManifestException e) {
      assertThat(e.getMessage()).startsWith(FILE.toString()).doesNotContain("\n");
      assertThat(e.reason()).doesNotStartWith("cannot be decoded"); // the catch-all for bugs
    }
  }

  @Provide
  Arbitrary<String> yamlish() {
    return Arbitraries.strings()
        .withChars("{}[]:-,&*!|>'\"%@`#?\n\t ")
        .withChars("apiVersionkindPodmetadataspeccontainers")
        .withCharRange('0', '9')
        .ofMaxLength(300);
  }

  @Provide
  Arbitrary<byte[]> mutations() {
    Arbitrary<byte[]> base = Arbitraries.of(APISERVER, ETCD);
    Arbitrary<List<int[]>> edits =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 255))
            .as((op, at, value) -> new int[] {op, at, value})
            .list()
            .ofMinSize(1)
            .ofMaxSize(8);
    return Combinators.combine(base, edits).as(ManifestDecoderPropertiesTest::mutate);
  }

  /** Deletes, inserts or replaces single bytes at the given positions. */
  static byte[] mutate(byte[] original, List<int[]> edits) {
    List<Byte> bytes = new ArrayList<>(original.length);
    for (byte b : original) {
      bytes.add(b);
    }
    for (int[] edit : edits) {
      int at = edit[1] % Math.max(1, bytes.size());
      switch (edit[0]) {
        case 0 -> {
          if (!bytes.isEmpty()) {
            bytes.remove(at);
          }
        }
        case 1 -> bytes.add(at, (byte) edit[2]);
        default -> {
          if (!bytes.isEmpty()) {
            bytes.set(at, (byte) edit[2]);
          }
        }
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.get(i);
    }
    return out;
  }

  static Object shuffleKeys(Object node, Random random) {
    if (node instanceof Map<?, ?> map) {
      List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
      Collections.shuffle(entries, random);
      Map<Object, Object> out = new LinkedHashMap<>();
      entries.forEach(e -> out.put(e.getKey(), shuffleKeys(e.getValue(), random)));
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(v -> shuffleKeys(v, random)).toList();
    }
    return node;
  }
}
