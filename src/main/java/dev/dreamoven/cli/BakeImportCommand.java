package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bake.BakedPath;
import dev.dreamoven.bake.BakedPathStore;
import dev.dreamoven.bake.SeedBakeImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bake import FILE.pt...}: adds baked paths of the original scripts ({@code torch.save}
 * files, ViT-B/32) to the baked folder. Their prompt embeddings are left empty: computing them
 * needs the ViT-B/32 model, which is loaded elsewhere. A bad file is reported and skipped; the
 * exit code is then 2.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import baked paths of the original bake.py (.pt files; ViT-B-32, 10 stages).")
public final class BakeImportCommand implements AppCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE.pt", description = "Files written by the original bake.py.")
    List<Path> files;

    @Override
    public int run(Services services) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BakedPathStore store = services.bakedPaths();
        SeedBakeImporter importer = new SeedBakeImporter();
        int imported = 0;
        int failed = 0;
        for (Path file : files) {
            try {
                BakedPath path = importer.read(file);
                boolean replacing = store.find(path.id()).isPresent();
                store.save(path, null);
                out.println((replacing ? "replaced " : "imported ") + path.id() + "  " + path.prompt());
                imported++;
            } catch (InvalidInputException e) {
                err.println(spec.commandLine().getCommandName() + ": " + e.getMessage());
                failed++;
            }
        }
        out.println(imported + " imported into " + store.folder() + (failed > 0 ? ", " + failed + " refused" : "")
                + (imported > 0 ? "; their prompt embeddings are missing until " + SeedBakeImporter.MODEL_ID
                + " embeds them" : ""));
        out.flush();
        err.flush();
        return failed > 0 ? InvalidInputException.EXIT_CODE : 0;
    }
}
