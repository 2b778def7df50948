package dev.kubeboot.pki;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Keys shared by all test classes of one run: RSA generation (above all RSA-4096) would otherwise
 * dominate the module's test time. Certificates do not care whether keys are reused.
 */
final class TestKeys {
  private static final KeyPairs GENERATOR = new KeyPairs();
  private static final Map<KeyAlgorithm, List<KeyPair>> CACHE = new EnumMap<>(KeyAlgorithm.class);

  private TestKeys() {}

  static synchronized KeyPair get(KeyAlgorithm algorithm, int index) {
    List<KeyPair> keys = CACHE.computeIfAbsent(algorithm, a -> new ArrayList<>());
    while (keys.size() <= index) {
      keys.add(GENERATOR.generate(algorithm));
    }
    return keys.get(index);
  }

  static KeyPair get(KeyAlgorithm algorithm) {
    return get(algorithm, 0);
  }
}
