package dev.kubeboot.cli.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parses JSON text with Debian's Python ({@code json.load}), an independent parser, and hands back
 * the top-level fields of each object in the stream: strings as they are, lists of strings joined
 * by newlines, anything else as Python's JSON for it. Values cross back hex-encoded so no escaping
 * of our own stands between the parser and the assertion.
 */
public final class PythonJson {
  private static final String SCRIPT =
      """
      import json, sys
      text = sys.stdin.read()
      decoder = json.JSONDecoder()
      at = 0
      while True:
          while at < len(text) and text[at].isspace():
              at += 1
          if at == len(text):
              break
          obj, at = decoder.raw_decode(text, at)
          for key, value in obj.items():
              if isinstance(value, str):
                  shown = value
              elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                  shown = "\\n".join(value)
              else:
                  shown = json.dumps(value)
              print(key.encode().hex(), shown.encode().hex())
          print("-")
      """;

  private PythonJson() {}

  /** The objects of {@code json} (one or more, one after another), each as its fields. */
  public static List<Map<String, String>> objects(String json)
      throws IOException, InterruptedException {
    Process python =
        new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT).redirectErrorStream(true).start();
    try (OutputStream in = python.getOutputStream()) {
      in.write(json.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(30, TimeUnit.SECONDS) || python.exitValue() != 0) {
      throw new AssertionError("python3 json.load rejected the output:\n" + out + "\n" + json);
    }
    List<Map<String, String>> objects = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (line.equals("-")) {
        objects.add(current);
        current = new LinkedHashMap<>();
      } else {
        String[] kv = line.split(" ", -1);
        current.put(text(kv[0]), text(kv[1]));
      }
    }
    return objects;
  }

  private static String text(String hex) {
    return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
  }
}
