package dev.dreamoven.render;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bake.BakedPath;
import dev.dreamoven.bake.BakedPathStore;
import dev.dreamoven.bake.BakedSummary;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.bake.SeedBakeImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The chat front ends' view of the real baked-path store, for the model the oven serves. */
public final class StoreBakedPrompts implements BakedPrompts {

    private final BakedPathStore store;
    private final Supplier<Oven> oven;

    public StoreBakedPrompts(BakedPathStore store, Supplier<Oven> oven) {
        this.store = store;
        this.oven = oven;
    }

    @Override
    public List<Baked> search(String prefix, int limit) {
        String p = prefix == null ? "" : prefix.strip().toLowerCase(Locale.ROOT);
        return store.list(oven.get().modelId()).stream()
                .map(b -> new Baked(b.id(), b.prompt()))
                .filter(b -> b.prompt().toLowerCase(Locale.ROOT).contains(p))
                .sorted(Comparator.comparing((Baked b) -> !b.prompt().toLowerCase(Locale.ROOT).startsWith(p))
                        .thenComparing(Baked::prompt))
                .limit(Math.max(0, limit))
                .toList();
    }

    @Override
    public Optional<String> prompt(String id) {
        return store.list(oven.get().modelId()).stream().filter(b -> b.id().equals(id)).map(BakedSummary::prompt)
                .findFirst();
    }

    @Override
    public boolean remove(String prompt) {
        return store.findByPrompt(oven.get().modelId(), prompt).map(p -> store.delete(p.id())).orElse(false);
    }

    @Override
    public String importAttachment(String fileName, byte[] content) {
        if (!fileName.toLowerCase(Locale.ROOT).endsWith(".pt")) {
            throw new InvalidInputException("only the original scripts' .pt baked files can be imported, got "
                    + fileName);
        }
        // The importer reads files; the attachment's own name is used only as the prompt source.
        String safeName = SeedBakeImporter.promptFromFileName(fileName).replaceAll("[^A-Za-z0-9 ,.'#-]", "")
                .replace(' ', '_');
        try {
            Path dir = Files.createTempDirectory("dreamoven-import");
            Path file = dir.resolve((safeName.isBlank() ? "imported" : safeName) + ".pt");
            try {
                Files.write(file, content);
                BakedPath path = new SeedBakeImporter().read(file);
                store.save(path, null);
                return path.prompt();
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot import " + fileName + ": " + e.getMessage(), e);
        }
    }
}
