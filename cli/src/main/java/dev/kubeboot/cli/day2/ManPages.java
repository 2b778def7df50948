package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Section-1 man pages in troff (the man(7) macros) rendered from picocli's model, one per command:
 * {@code kubeboot.1}, {@code kubeboot-certs-renew.1}, ... Written from the live tree, so a page
 * never disagrees with {@code --help}.
 */
final class ManPages {
  private final FileSink sink;

  ManPages(FileSink sink) {
    this.sink = sink;
  }

  /** Writes a page for {@code root} and every visible sub-command below it; returns the files. */
  List<Path> write(CommandSpec root, Path dir) throws IOException {
    var written = new ArrayList<Path>();
    writeTree(root, dir, written);
    return written;
  }

  private void writeTree(CommandSpec spec, Path dir, List<Path> written) throws IOException {
    Path file = dir.resolve(pageName(spec) + ".1");
    sink.write(file, page(spec).getBytes(StandardCharsets.UTF_8), FileMode.PUBLIC);
    written.add(file);
    for (CommandLine sub : visibleSubcommands(spec)) {
      writeTree(sub.getCommandSpec(), dir, written);
    }
  }

  static String pageName(CommandSpec spec) {
    return spec.qualifiedName("-");
  }

  /**
   * The one line NAME and a parent's COMMANDS list show: the command's header when it has one
   * (picocli's own help command keeps its summary there and starts its description with a blank
   * line), else the first non-blank line of its description, formatted as --help formats it.
   */
  static String summary(CommandSpec spec) {
    var help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(Ansi.OFF));
    return Stream.of(help.header(), help.description())
        .flatMap(String::lines)
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .findFirst()
        .orElse("");
  }

  static String page(CommandSpec spec) {
    var help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(Ansi.OFF));
    var out = new StringBuilder();
    String name = pageName(spec);
    String summary = summary(spec);
    out.append(".TH \"")
        .append(name.toUpperCase(java.util.Locale.ROOT))
        .append("\" 1 \"\" \"kubeboot\" \"kubeboot Manual\"\n");
    out.append(".SH NAME\n")
        .append(escape(name))
        .append(" \\- ")
        .append(escape(summary))
        .append('\n');
    out.append(".SH SYNOPSIS\n.nf\n")
        .append(escapeLines(help.synopsis(0).stripTrailing()))
        .append("\n.fi\n");
    String text = help.description().strip();
    if (!text.isEmpty()) {
      out.append(".SH DESCRIPTION\n");
      for (String paragraph : text.split("\n")) {
        out.append(".PP\n").append(escapeLines(paragraph.strip())).append('\n');
      }
    }
    List<PositionalParamSpec> positionals =
        spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!positionals.isEmpty()) {
      out.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : positionals) {
        out.append(".TP\n.I ")
            .append(escape(p.paramLabel()))
            .append('\n')
            .append(escapeLines(String.join(" ", p.description())))
            .append('\n');
      }
    }
    List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
    if (!options.isEmpty()) {
      out.append(".SH OPTIONS\n");
      for (OptionSpec o : options) {
        out.append(".TP\n.B ").append(escape(String.join(", ", o.names())));
        if (o.arity().max() > 0) {
          out.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        out.append('\n').append(escapeLines(String.join(" ", o.description()))).append('\n');
      }
    }
    List<CommandLine> subs = visibleSubcommands(spec);
    if (!subs.isEmpty()) {
      out.append(".SH COMMANDS\n");
      for (CommandLine sub : subs) {
        CommandSpec s = sub.getCommandSpec();
        out.append(".TP\n.B ")
            .append(escape(s.name()))
            .append('\n')
            .append(escapeLines(summary(s)))
            .append('\n');
      }
    }
    var related = new ArrayList<String>();
    if (spec.parent() != null) {
      related.add(pageName(spec.parent()));
    }
    subs.forEach(s -> related.add(pageName(s.getCommandSpec())));
    if (!related.isEmpty()) {
      out.append(".SH SEE ALSO\n")
          .append(
              String.join(", ", related.stream().map(r -> "\\fB" + escape(r) + "\\fR(1)").toList()))
          .append('\n');
    }
    return out.toString();
  }

  private static List<CommandLine> visibleSubcommands(CommandSpec spec) {
    var subs = new ArrayList<CommandLine>();
    for (var entry : spec.subcommands().entrySet()) {
      CommandSpec s = entry.getValue().getCommandSpec();
      // picocli lists aliases as extra keys; take each command once, under its own name.
      if (!s.usageMessage().hidden() && entry.getKey().equals(s.name())) {
        subs.add(entry.getValue());
      }
    }
    return subs;
  }

  /** troff-safe text: backslashes escaped, hyphens as minus signs, no line starting a request. */
  static String escape(String text) {
    return text.replace("\\", "\\e").replace("-", "\\-");
  }

  private static String escapeLines(String text) {
    var out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      String escaped = escape(line);
      if (escaped.startsWith(".") || escaped.startsWith("'")) {
        out.append("\\&");
      }
      out.append(escaped);
    }
    return out.toString();
  }
}
