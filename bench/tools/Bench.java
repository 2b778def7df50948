// Measurement helpers for bench/ and bench/drills/, run as a single-file program:
//   java bench/tools/Bench.java <command> ...
// One process polls with a 1 ms park, so the latency figures have about 1 ms resolution and
// include no fork/exec of a polling shell.
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Bench {
  static final Pattern POD = Pattern.compile("\"pod\":\"([^\"]*)\"");
  static final Pattern CONTAINER = Pattern.compile("\"container\":\"([^\"]*)\"");
  static final long POLL_NANOS = 1_000_000;

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "restart-kubeboot" -> restartKubeboot(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
      case "restart-sleep" -> restartSleep(Long.parseLong(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
      case "restart-supervisord" -> restartSupervisord(Long.parseLong(args[1]), args[2], Integer.parseInt(args[3]), Path.of(args[4]));
      case "edit" -> edit(Path.of(args[1]), Path.of(args[2]), args[3], Integer.parseInt(args[4]), Path.of(args[5]));
      case "wait-running" -> waitRunning(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Duration.ofSeconds(Long.parseLong(args[4])), args.length > 5 ? Long.parseLong(args[5]) : 10);
      case "create-sleep" -> createSleep(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]), Path.of(args[5]));
      case "stats" -> stats(Path.of(args[1]));
      case "kill-drill" -> killDrill(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  /** Live pid files: pid -> "pod/container" of a process that exists and is not a zombie. */
  static Map<Long, String> pidFiles(Path dir) throws IOException {
    Map<Long, String> out = new HashMap<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) continue;
        long pid;
        try {
          pid = Long.parseLong(name.substring(0, name.length() - 5));
        } catch (NumberFormatException e) {
          continue;
        }
        String text;
        try {
          text = Files.readString(p);
        } catch (NoSuchFileException e) {
          continue;
        }
        Matcher pod = POD.matcher(text);
        Matcher c = CONTAINER.matcher(text);
        if (pod.find() && c.find()) out.put(pid, pod.group(1) + "/" + c.group(1));
      }
    }
    return out;
  }

  /** True when pid runs an exec'd program whose argv[0] ends with "sleep" and is not a zombie. */
  static boolean runsSleep(long pid) {
    try {
      byte[] cmd = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      int end = 0;
      while (end < cmd.length && cmd[end] != 0) end++;
      String argv0 = new String(cmd, 0, end, StandardCharsets.UTF_8);
      if (!argv0.endsWith("sleep")) return false;
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  static void kill9(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * Kills one container of each of `kills` distinct pods once (the kubelet restarts the first crash
   * of a container at once; later ones wait 10 s, 20 s, ...), and times kill -> a new pid file for
   * the same container whose process runs sleep.
   */
  static void restartKubeboot(Path containers, int kills, Path out) throws Exception {
    Map<Long, String> live = pidFiles(containers);
    List<Long> victims = new ArrayList<>();
    for (var e : live.entrySet()) if (runsSleep(e.getKey())) victims.add(e.getKey());
    Collections.shuffle(victims, new Random(7));
    if (victims.size() < kills) {
      throw new IllegalStateException("only " + victims.size() + " running containers for " + kills + " kills");
    }
    List<String> lines = new ArrayList<>();
    Random random = new Random(11);
    int timeouts = 0;
    for (int i = 0; i < kills; i++) {
      long victim = victims.get(i);
      String who = live.get(victim);
      Set<Long> before = new HashSet<>(pidFiles(containers).keySet());
      long t0 = System.nanoTime();
      kill9(victim);
      long found = -1;
      long deadline = t0 + Duration.ofSeconds(5).toNanos();
      outer:
      while (System.nanoTime() < deadline) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(containers, "*.json")) {
          for (Path p : s) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) continue;
            long pid;
            try {
              pid = Long.parseLong(name.substring(0, name.length() - 5));
            } catch (NumberFormatException e) {
              continue;
            }
            if (before.contains(pid) || !runsSleep(pid)) continue;
            String text;
            try {
              text = Files.readString(p);
            } catch (NoSuchFileException e) {
              continue;
            }
            Matcher pod = POD.matcher(text);
            Matcher c = CONTAINER.matcher(text);
            if (pod.find() && c.find() && who.equals(pod.group(1) + "/" + c.group(1))) {
              found = pid;
              break outer;
            }
          }
        }
        LockSupport.parkNanos(POLL_NANOS);
      }
      long ns = System.nanoTime() - t0;
      if (found < 0) {
        timeouts++;
        lines.add("timeout " + who);
      } else {
        lines.add(String.format("%.3f %s %d %d", ns / 1e6, who, victim, found));
      }
      Thread.sleep(20 + random.nextInt(30));
    }
    Files.write(out, lines);
    System.err.println("kills=" + kills + " timeouts(>5s)=" + timeouts);
  }

  /** Every pid in /proc (processes, not threads). */
  static Set<Long> allPids() throws IOException {
    Set<Long> out = new HashSet<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) out.add(Long.parseLong(name));
      }
    }
    return out;
  }

  /** One look for what a timed step waits for: the pid it found, or -1. */
  interface Look {
    long find() throws IOException;
  }

  /** Looks every POLL_NANOS until `look` finds a pid or `timeout` from `t0` has passed (-1). */
  static long await(long t0, Duration timeout, Look look) throws IOException {
    long deadline = t0 + timeout.toNanos();
    long found = -1;
    while (found < 0 && System.nanoTime() < deadline) {
      found = look.find();
      if (found < 0) LockSupport.parkNanos(POLL_NANOS);
    }
    return found;
  }

  /** A pid absent from `before` whose process runs "sleep arg" (a new container's), or -1. */
  static long newSleep(Set<Long> before, String arg) throws IOException {
    for (long pid : allPids()) {
      if (!before.contains(pid) && sleepArg(pid).equals(arg)) return pid;
    }
    return -1;
  }

  /** The argument of a live, non-zombie "sleep ARG" process; "" for anything else. */
  static String sleepArg(long pid) {
    if (!runsSleep(pid)) return "";
    String[] argv = cmdline(pid).strip().split(" ");
    return argv.length == 2 ? argv[1] : "";
  }

  /**
   * For any runtime whose containers' processes the host sees (Docker, CRI): pods run "sleep N"
   * with N = base+1 .. base+pods, unique on the machine. Kills the process of `kills` distinct
   * pods once each (the first crash of a container restarts at once) and times kill -> a new
   * process (a pid absent at the kill) running "sleep N" again: the new container's main process
   * has exec'd. Found by listing /proc every 1 ms and reading only the new pids' cmdlines.
   */
  static void restartSleep(long base, int pods, int kills, Path out) throws Exception {
    Map<String, Long> live = new HashMap<>();
    for (long pid : allPids()) {
      String arg = sleepArg(pid);
      if (arg.matches("\\d+") && Long.parseLong(arg) > base && Long.parseLong(arg) <= base + pods) {
        live.put(arg, pid);
      }
    }
    List<String> victims = new ArrayList<>(live.keySet());
    Collections.sort(victims);
    Collections.shuffle(victims, new Random(7));
    if (victims.size() < kills) {
      throw new IllegalStateException("only " + victims.size() + " running sleep containers for " + kills + " kills");
    }
    List<String> lines = new ArrayList<>();
    Random random = new Random(11);
    int timeouts = 0;
    for (int i = 0; i < kills; i++) {
      String arg = victims.get(i);
      long victim = live.get(arg);
      Set<Long> before = allPids();
      long t0 = System.nanoTime();
      kill9(victim);
      long found = await(t0, Duration.ofSeconds(10), () -> newSleep(before, arg));
      long ns = System.nanoTime() - t0;
      if (found < 0) {
        timeouts++;
        lines.add("timeout sleep " + arg);
      } else {
        lines.add(String.format("%.3f sleep-%s %d %d", ns / 1e6, arg, victim, found));
      }
      // Let the engine finish behind the restart (old container removal) before the next kill.
      Thread.sleep(150 + random.nextInt(100));
    }
    Files.write(out, lines);
    System.err.println("kills=" + kills + " timeouts(>10s)=" + timeouts);
  }

  /**
   * Writes `count` new pods one after another (the template with @ARG@ = base+i, @N@ = i, renamed
   * into `manifests` as p8-<base+i>.yaml) and times each rename -> a process that did not exist
   * before running "sleep base+i": the pod's container has exec'd. /proc listed every 1 ms.
   * A line per pod: "<ms> <arg>"; pods stay.
   */
  static void createSleep(Path manifests, Path template, long base, int count, Path out) throws Exception {
    String text = Files.readString(template);
    List<String> lines = new ArrayList<>();
    int timeouts = 0;
    for (int i = 1; i <= count; i++) {
      String arg = String.valueOf(base + i);
      Path file = manifests.resolve("p8-" + arg + ".yaml");
      Path tmp = manifests.resolve(".p8-" + arg + ".tmp");
      Files.writeString(tmp, text.replace("@ARG@", arg).replace("@N@", String.valueOf(i)));
      Set<Long> before = allPids();
      long t0 = System.nanoTime();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      long found = await(t0, Duration.ofSeconds(30), () -> newSleep(before, arg));
      long ns = System.nanoTime() - t0;
      if (found < 0) {
        timeouts++;
        lines.add("timeout " + arg);
      } else {
        lines.add(String.format("%.3f %s %d", ns / 1e6, arg, found));
      }
      // Let the engine settle (the runner publishes status, the engine finishes its events).
      Thread.sleep(300);
    }
    Files.write(out, lines);
    System.err.println("pods=" + count + " timeouts(>30s)=" + timeouts);
  }

  static List<Long> children(long ppid) {
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + ppid + "/task"))) {
      for (Path t : tasks) {
        try {
          for (String s : Files.readString(t.resolve("children")).trim().split("\\s+")) {
            if (!s.isEmpty()) out.add(Long.parseLong(s));
          }
        } catch (IOException e) {
          // thread ended between listing and reading
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + ppid + "/task: " + e);
    }
    return out;
  }

  /** kill -9 the child of `ppid` whose command line contains `marker`; time until a new one runs sleep. */
  static void restartSupervisord(long ppid, String marker, int kills, Path out) throws Exception {
    List<String> lines = new ArrayList<>();
    Random random = new Random(11);
    int timeouts = 0;
    for (int i = 0; i < kills; i++) {
      long victim = -1;
      for (long c : children(ppid)) if (cmdline(c).contains(marker) && runsSleep(c)) victim = c;
      if (victim < 0) {
        Thread.sleep(100);
        i--;
        continue;
      }
      long t0 = System.nanoTime();
      kill9(victim);
      long killed = victim;
      long found =
          await(
              t0,
              Duration.ofSeconds(5),
              () -> {
                long last = -1;
                for (long c : children(ppid)) {
                  if (c != killed && runsSleep(c) && cmdline(c).contains(marker)) last = c;
                }
                return last;
              });
      long ns = System.nanoTime() - t0;
      if (found < 0) {
        timeouts++;
        lines.add("timeout");
      } else {
        lines.add(String.format("%.3f supervisord %d %d", ns / 1e6, victim, found));
      }
      Thread.sleep(20 + random.nextInt(30));
    }
    Files.write(out, lines);
    System.err.println("kills=" + kills + " timeouts(>5s)=" + timeouts);
  }

  /**
   * Rewrites `manifest` (atomic rename) with the sleep argument `base+i`, and times the write -> a
   * pid file whose process runs "sleep base+i".
   */
  static void edit(Path manifest, Path containers, String template, int edits, Path out) throws Exception {
    List<String> lines = new ArrayList<>();
    String text = Files.readString(Path.of(template));
    int timeouts = 0;
    for (int i = 1; i <= edits; i++) {
      String arg = String.valueOf(100000 + i);
      Path tmp = manifest.resolveSibling("." + manifest.getFileName() + ".tmp");
      Files.writeString(tmp, text.replace("@ARG@", arg));
      long t0 = System.nanoTime();
      Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE);
      long found =
          await(
              t0,
              Duration.ofSeconds(30),
              () -> {
                long last = -1;
                try (DirectoryStream<Path> s = Files.newDirectoryStream(containers, "*.json")) {
                  for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) continue;
                    try {
                      long pid = Long.parseLong(name.substring(0, name.length() - 5));
                      if (runsSleep(pid) && cmdline(pid).endsWith(" " + arg + " ")) last = pid;
                    } catch (NumberFormatException e) {
                      // not a pid file
                    }
                  }
                }
                return last;
              });
      long ns = System.nanoTime() - t0;
      if (found < 0) {
        timeouts++;
        lines.add("timeout " + arg);
      } else {
        lines.add(String.format("%.3f %s %d", ns / 1e6, arg, found));
      }
      Thread.sleep(50);
    }
    Files.write(out, lines);
    System.err.println("edits=" + edits + " timeouts(>30s)=" + timeouts);
  }

  /** Polls /pods every 10 ms until `count` pods are Running; prints ms since `startEpochMs`. */
  /** Polls the runner's /pods every intervalMs until count pods are Running; prints ms since start. */
  static void waitRunning(String url, int count, long startEpochMs, Duration timeout, long intervalMs) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Pattern running = Pattern.compile("\"phase\" ?: ?\"Running\"");
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    int last = -1;
    while (System.currentTimeMillis() < deadline) {
      try {
        String body =
            client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = running.matcher(body);
        int n = 0;
        while (m.find()) n++;
        last = n;
        if (n >= count) {
          System.out.println(System.currentTimeMillis() - startEpochMs);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(intervalMs);
    }
    System.out.println("timeout " + last);
    System.exit(1);
  }

  /** Prints "n p50 p90 p99 max min" of the first column of numeric lines. */
  static void stats(Path file) throws IOException {
    double[] v =
        Files.readAllLines(file).stream()
            .filter(l -> !l.isBlank() && Character.isDigit(l.charAt(0)))
            .mapToDouble(l -> Double.parseDouble(l.split(" ")[0]))
            .sorted()
            .toArray();
    long bad = Files.readAllLines(file).stream().filter(l -> l.startsWith("timeout")).count();
    if (v.length == 0) {
      System.out.println("0 - - - - - " + bad);
      return;
    }
    System.out.printf(
        "%d %.1f %.1f %.1f %.1f %.1f %d%n",
        v.length, pct(v, 50), pct(v, 90), pct(v, 99), v[v.length - 1], v[0], bad);
  }

  static double pct(double[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  /**
   * The container-kill drill: `kills` kills spread over the running containers, each container
   * killed at most twice. A first kill must be followed by a new process within 2 s (restart at
   * once); a second kill by a new process started (the runner's startedAt) between 9 s and 13 s
   * later (backoff 10 s, detection and start on a loaded 2-core machine allowed 3 s). Prints one line per kill and a verdict.
   */
  static void killDrill(Path containers, int kills, Path out) throws Exception {
    Map<Long, String> live = pidFiles(containers);
    List<Long> pids = new ArrayList<>(live.keySet());
    pids.removeIf(p -> !runsSleep(p));
    Collections.shuffle(pids, new Random(3));
    int firsts = Math.min(pids.size(), (kills + 1) / 2);
    int seconds = kills - firsts;
    if (seconds > firsts) throw new IllegalStateException("need " + kills / 2 + " containers, have " + pids.size());
    List<String> lines = new ArrayList<>();
    int failures = 0;
    // round 1: one kill each, restart immediately
    Map<String, Long> current = new HashMap<>();
    for (int i = 0; i < firsts; i++) {
      long victim = pids.get(i);
      String who = live.get(victim);
      long t0 = System.nanoTime();
      kill9(victim);
      long found = waitNew(containers, who, Set.of(victim), t0 + Duration.ofSeconds(2).toNanos());
      double ms = (System.nanoTime() - t0) / 1e6;
      if (found < 0) failures++;
      else current.put(who, found);
      lines.add(String.format("%s first %s %.1f ms", found < 0 ? "FAIL" : "ok", who, ms));
    }
    // round 2: kill the restarted ones again, 20 ms apart (so the restarts after the backoff do
    // not all fall into the same second); each must come back after its 10 s backoff. The restart
    // time is the runner's own startedAt in the new pid file, so the observer's scan lag and
    // load on the machine do not count against the runner.
    Map<String, Long> killedAt = new HashMap<>();
    Map<String, Long> oldPid = new HashMap<>();
    Set<Long> seen = new HashSet<>(pidFiles(containers).keySet());
    int n = 0;
    for (var e : current.entrySet()) {
      if (n++ >= seconds) break;
      killedAt.put(e.getKey(), System.currentTimeMillis());
      oldPid.put(e.getKey(), e.getValue());
      kill9(e.getValue());
      Thread.sleep(20);
    }
    Map<String, Double> back = new HashMap<>();
    Pattern started = Pattern.compile("\"startedAt\":\"([^\"]*)\"");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (back.size() < killedAt.size() && System.nanoTime() < deadline) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(containers, "*.json")) {
        for (Path p : s) {
          String name = p.getFileName().toString();
          if (name.startsWith(".")) continue;
          long pid;
          try {
            pid = Long.parseLong(name.substring(0, name.length() - 5));
          } catch (NumberFormatException e) {
            continue;
          }
          if (seen.contains(pid)) continue;
          String text;
          try {
            text = Files.readString(p);
          } catch (NoSuchFileException e) {
            continue;
          }
          seen.add(pid);
          Matcher pod = POD.matcher(text);
          Matcher c = CONTAINER.matcher(text);
          Matcher at = started.matcher(text);
          if (pod.find() && c.find() && at.find()) {
            String who = pod.group(1) + "/" + c.group(1);
            if (killedAt.containsKey(who) && !back.containsKey(who)) {
              back.put(who, (double) (java.time.Instant.parse(at.group(1)).toEpochMilli() - killedAt.get(who)));
            }
          }
        }
      }
      Thread.sleep(50);
    }
    for (String who : killedAt.keySet()) {
      Double ms = back.get(who);
      boolean ok = ms != null && ms >= 9_000 && ms <= 13_000;
      if (!ok) failures++;
      lines.add(String.format("%s second %s %s", ok ? "ok" : "FAIL", who, ms == null ? "never" : String.format("%.1f ms", ms)));
    }
    Files.write(out, lines);
    System.out.println("kills=" + (firsts + killedAt.size()) + " failures=" + failures);
    if (failures > 0) System.exit(1);
  }

  static long waitNew(Path containers, String who, Set<Long> old, long deadline) throws Exception {
    while (System.nanoTime() < deadline) {
      for (var e : pidFiles(containers).entrySet()) {
        if (e.getValue().equals(who) && !old.contains(e.getKey()) && runsSleep(e.getKey())) return e.getKey();
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return -1;
  }
}
