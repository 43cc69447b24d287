package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bake.BakedPath;
import dev.dreamoven.bake.BakedPathStore;
import dev.dreamoven.bake.BakedSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baked list|show|delete}: the baked paths in {@code store.baked}. */
@Command(name = "baked", mixinStandardHelpOptions = true,
        description = "List, show and delete baked paths.",
        subcommands = {BakedCommand.ListCommand.class, BakedCommand.ShowCommand.class,
                BakedCommand.DeleteCommand.class})
public final class BakedCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the baked paths, by model and prompt.")
    static final class ListCommand implements AppCommand {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", paramLabel = "ID", description = "Only paths of this model, e.g. shapes or ViT-B-32.")
        String model;

        @Override
        public int run(Services services) {
            PrintWriter out = spec.commandLine().getOut();
            List<BakedSummary> paths = services.bakedPaths().list(model);
            if (paths.isEmpty()) {
                out.println(model == null ? "no baked paths" : "no baked paths for model " + model);
                return 0;
            }
            out.printf("%-16s  %-10s  %-7s  %-6s  %s%n", "ID", "MODEL", "STAGES", "SCORE", "PROMPT");
            for (BakedSummary s : paths) {
                out.printf("%-16s  %-10s  %-7s  %-6s  %s%n", s.id(), s.modelId(), s.stageCount() + "x" + s.dimension(),
                        score(s.score()), s.prompt());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one baked path.")
    static final class ShowCommand implements AppCommand {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The path's id (or a unique start of it), as `baked list` shows.")
        String id;

        @Override
        public int run(Services services) {
            BakedPathStore store = services.bakedPaths();
            BakedSummary s = resolve(store, id);
            BakedPath p = store.find(s.id()).orElseThrow(() -> new InvalidInputException(
                    "the file of baked path " + s.id() + " (" + s.fileName() + ") is missing or unreadable"));
            PrintWriter out = spec.commandLine().getOut();
            out.println("id:         " + p.id());
            out.println("prompt:     " + p.prompt());
            out.println("model:      " + p.modelId());
            out.println("stages:     " + p.stageCount() + " x " + p.dimension());
            out.println("resolution: " + p.resolution() + " px");
            out.println("score:      " + score(p.score()));
            out.println("author:     " + p.author());
            out.println("created:    " + p.createdAt());
            out.println("file:       " + store.folder().resolve(s.fileName()));
            out.println("embedding:  " + (s.hasEmbedding() ? "stored" : "missing (embedded once the model is loaded)"));
            for (Map.Entry<String, String> e : p.settings().entrySet()) {
                out.println("setting:    " + e.getKey() + " = " + e.getValue());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a baked path (file and index).")
    static final class DeleteCommand implements AppCommand {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The path's id, as `baked list` shows.")
        String id;

        @Override
        public int run(Services services) {
            BakedPathStore store = services.bakedPaths();
            BakedSummary s = resolve(store, id);
            store.delete(s.id());
            spec.commandLine().getOut().println("deleted " + s.id() + " (" + s.modelId() + ": " + s.prompt() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** The path with this id, or the only one whose id starts with it (at least 4 characters). */
    static BakedSummary resolve(BakedPathStore store, String idOrPrefix) {
        return find(store, idOrPrefix).orElseThrow(() -> new InvalidInputException(
                "no baked path with id \"" + shown(idOrPrefix) + "\" (see `baked list`)"));
    }

    /**
     * The path with this id, or the one whose id starts with it (4 characters or more).
     *
     * @throws InvalidInputException when the prefix starts several ids
     */
    static Optional<BakedSummary> find(BakedPathStore store, String idOrPrefix) {
        String wanted = idOrPrefix.strip().toLowerCase(Locale.ROOT);
        List<BakedSummary> all = store.list(null);
        for (BakedSummary s : all) {
            if (s.id().equals(wanted)) {
                return Optional.of(s);
            }
        }
        List<BakedSummary> starting = wanted.length() < 4 ? List.of()
                : all.stream().filter(s -> s.id().startsWith(wanted)).toList();
        if (starting.size() > 1) {
            throw new InvalidInputException("\"" + shown(idOrPrefix) + "\" starts " + starting.size()
                    + " ids; give more of it");
        }
        return starting.stream().findFirst();
    }

    private static String shown(String idOrPrefix) {
        String shown = idOrPrefix.length() > 40 ? idOrPrefix.substring(0, 40) + "…" : idOrPrefix;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    static String score(double score) {
        return Double.isNaN(score) ? "-" : String.format(Locale.ROOT, "%.4f", score);
    }
}
