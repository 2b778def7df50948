package dev.kubeboot.cli.workflow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An ordered tree of phases and the skip/only algebra over it: choosing a group chooses its
 * children, skip beats only, an unknown path is a usage error.
 */
public final class Workflow<C> {
  private final List<Phase<C>> phases;

  public Workflow(List<Phase<C>> phases) {
    this.phases = List.copyOf(phases);
  }

  public List<Phase<C>> phases() {
    return phases;
  }

  /** Every path of the tree, groups and steps, in order ("certs", "certs/ca", ...). */
  public List<String> paths() {
    var out = new ArrayList<String>();
    walk(phases, "", (path, phase) -> out.add(path));
    return out;
  }

  /**
   * The steps to run, in workflow order.
   *
   * @param only paths to run (empty: all); a group path selects all its steps
   * @param skip paths not to run; wins over {@code only}
   * @throws UnknownPhaseException naming every unknown path and the known ones
   */
  public List<PlannedStep<C>> plan(Collection<String> only, Collection<String> skip) {
    var known = new HashSet<>(paths());
    var unknown = new TreeSet<String>();
    for (var path : concat(only, skip)) {
      if (!known.contains(normalize(path))) {
        unknown.add(path);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UnknownPhaseException(
          "unknown phase "
              + String.join(", ", unknown)
              + "; known phases: "
              + String.join(", ", paths()));
    }
    Set<String> onlySet = normalizeAll(only);
    Set<String> skipSet = normalizeAll(skip);
    var planned = new ArrayList<PlannedStep<C>>();
    walk(
        phases,
        "",
        (path, phase) -> {
          if (phase instanceof Step<C> step
              && (onlySet.isEmpty() || covered(path, onlySet))
              && !covered(path, skipSet)) {
            planned.add(new PlannedStep<>(path, step));
          }
        });
    return planned;
  }

  /**
   * Every unmet prerequisite of a plan, checked before the first step runs: a prerequisite counts
   * as met when the step providing it comes earlier in the plan or it already holds.
   */
  public static <C> List<String> unmetPrerequisites(List<PlannedStep<C>> plan, C context) {
    var problems = new ArrayList<String>();
    var earlier = new HashSet<String>();
    for (var planned : plan) {
      for (var prerequisite : planned.step().prerequisites()) {
        if (!covered(prerequisite.providedBy(), earlier) && !prerequisite.holds().test(context)) {
          problems.add(
              "phase "
                  + planned.path()
                  + " needs "
                  + prerequisite.description()
                  + ": run phase "
                  + prerequisite.providedBy()
                  + " first");
        }
      }
      earlier.add(planned.path());
    }
    return problems;
  }

  /** Runs a plan in order; the first failing step stops the run. */
  public static <C> void run(
      List<PlannedStep<C>> plan, C context, Consumer<PlannedStep<C>> beforeEach)
      throws PhaseFailedException, InterruptedException {
    for (var planned : plan) {
      beforeEach.accept(planned);
      try {
        planned.step().action().run(context);
      } catch (InterruptedException e) {
        throw e;
      } catch (PhaseFailedException e) {
        throw e;
      } catch (Exception e) {
        throw new PhaseFailedException(planned.path(), e);
      }
    }
  }

  /** Whether {@code path} is one of {@code chosen} or lies under one of them. */
  private static boolean covered(String path, Set<String> chosen) {
    for (var c : chosen) {
      if (path.equals(c) || path.startsWith(c + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Accepts kubeadm's spellings: "certs/all" is "certs", and a trailing "/all" anywhere. */
  private static String normalize(String path) {
    String p = path.strip();
    while (p.endsWith("/all")) {
      p = p.substring(0, p.length() - 4);
    }
    return p;
  }

  private static Set<String> normalizeAll(Collection<String> paths) {
    var out = new LinkedHashSet<String>();
    for (var p : paths) {
      out.add(normalize(p));
    }
    return out;
  }

  private static List<String> concat(Collection<String> a, Collection<String> b) {
    var out = new ArrayList<String>(a);
    out.addAll(b);
    return out;
  }

  private interface Visitor<C> {
    void visit(String path, Phase<C> phase);
  }

  private static <C> void walk(List<Phase<C>> phases, String prefix, Visitor<C> visitor) {
    for (var phase : phases) {
      String path = prefix.isEmpty() ? phase.name() : prefix + "/" + phase.name();
      visitor.visit(path, phase);
      walk(phase.children(), path, visitor);
    }
  }
}
