package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyPairsTest {
  private static final BigInteger F4 = BigInteger.valueOf(65537);

  @ParameterizedTest(name = "{0} keys have a {1}-bit modulus and consistent CRT fields")
  @CsvSource({"RSA_2048, 2048", "RSA_3072, 3072", "RSA_4096, 4096"})
  void rsaKeysAreWellFormed(KeyAlgorithm algorithm, int bits) throws Exception {
    KeyPair keys = TestKeys.get(algorithm);
    RSAPrivateCrtKey key = (RSAPrivateCrtKey) keys.getPrivate();
    BigInteger p = key.getPrimeP();
    BigInteger q = key.getPrimeQ();

    assertThat(((RSAPublicKey) keys.getPublic()).getModulus()).isEqualTo(key.getModulus());
    assertThat(key.getModulus().bitLength()).isEqualTo(bits);
    assertThat(key.getPublicExponent()).isEqualTo(F4);
    assertThat(p.multiply(q)).isEqualTo(key.getModulus());
    assertThat(p.bitLength()).isEqualTo(bits / 2);
    assertThat(q.bitLength()).isEqualTo(bits / 2);
    assertThat(p.isProbablePrime(128)).isTrue();
    assertThat(q.isProbablePrime(128)).isTrue();
    assertThat(p.subtract(q).abs().bitLength()).isGreaterThan(bits / 2 - 100);
    BigInteger lambda =
        p.subtract(BigInteger.ONE)
            .multiply(q.subtract(BigInteger.ONE))
            .divide(p.subtract(BigInteger.ONE).gcd(q.subtract(BigInteger.ONE)));
    assertThat(key.getPublicExponent().multiply(key.getPrivateExponent()).mod(lambda))
        .isEqualTo(BigInteger.ONE);
    assertThat(key.getPrimeExponentP())
        .isEqualTo(key.getPrivateExponent().mod(p.subtract(BigInteger.ONE)));
    assertThat(key.getPrimeExponentQ())
        .isEqualTo(key.getPrivateExponent().mod(q.subtract(BigInteger.ONE)));
    assertThat(key.getCrtCoefficient().multiply(q).mod(p)).isEqualTo(BigInteger.ONE);
    assertSignsAndVerifies(keys, "SHA256withRSA");
  }

  @ParameterizedTest(name = "{0} keys are on curve {1}")
  @CsvSource({"ECDSA_P256, 256, SHA256withECDSA", "ECDSA_P384, 384, SHA384withECDSA"})
  void ecKeysUseTheirCurve(KeyAlgorithm algorithm, int fieldSize, String signature)
      throws Exception {
    KeyPair keys = TestKeys.get(algorithm);
    assertThat(((ECPublicKey) keys.getPublic()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(fieldSize);
    assertSignsAndVerifies(keys, signature);
  }

  @Test
  void generatesManyDistinctKeysInParallel() throws InterruptedException {
    List<KeyPair> keys = new KeyPairs().generateAll(KeyAlgorithm.ECDSA_P256, 6);

    assertThat(keys).hasSize(6);
    Set<Object> points = new HashSet<>();
    keys.forEach(k -> points.add(((ECPublicKey) k.getPublic()).getW()));
    assertThat(points).hasSize(6);
  }

  @Test
  void asyncGenerationCompletesWithAllKeys() {
    List<KeyPair> keys = new KeyPairs().generateAllAsync(KeyAlgorithm.RSA_2048, 2).join();

    assertThat(keys).hasSize(2);
    assertThat(((RSAPublicKey) keys.get(0).getPublic()).getModulus())
        .isNotEqualTo(((RSAPublicKey) keys.get(1).getPublic()).getModulus());
  }

  @Test
  void eachFutureCompletesWithItsOwnKeyOnBoundedWorkers() {
    Set<Long> threads = ConcurrentHashMap.newKeySet();
    KeyPairs keyPairs =
        new KeyPairs(
            new SecureRandom(),
            task ->
                Thread.ofPlatform()
                    .start(
                        () -> {
                          threads.add(Thread.currentThread().threadId());
                          task.run();
                        }),
            2);

    List<CompletableFuture<KeyPair>> futures = keyPairs.generateEach(KeyAlgorithm.ECDSA_P256, 5);

    assertThat(futures).hasSize(5);
    assertThat(futures.stream().map(f -> f.join().getPublic()).distinct()).hasSize(5);
    // Bounded: never more workers than the parallelism (a second may not have started by now).
    assertThat(threads).isNotEmpty().hasSizeLessThanOrEqualTo(2);
  }

  private static void assertSignsAndVerifies(KeyPair keys, String algorithm) throws Exception {
    byte[] data = "kubeboot".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(keys.getPrivate());
    signer.update(data);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(keys.getPublic());
    verifier.update(data);
    assertThat(verifier.verify(signature)).isTrue();
  }
}
