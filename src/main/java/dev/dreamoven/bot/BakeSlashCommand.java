package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.JobKind;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code /bake add|list|remove|import}: the baked prompts, for members who may bake. It is an admin command: a
 * transport offers it only where the bot is administered.
 */
final class BakeSlashCommand implements SlashCommand {

    private static final long MAX_IMPORT_BYTES = 20L << 20;
    private static final int LISTED = 25;

    static final Definition DEFINITION = new Definition("bake", "Manage baked prompts (admins)", List.of(), List.of(
            Subcommand.of("add", "Bake a prompt so that dreams of it are fast",
                    Option.text("prompt", "The prompt to bake").asRequired().withMaxLength(Options.MAX_PROMPT)),
            Subcommand.of("list", "List baked prompts",
                    Option.text("prompt", "Only those starting like this").withAutocomplete()),
            Subcommand.of("remove", "Remove a baked prompt",
                    Option.text("prompt", "The baked prompt").asRequired().withAutocomplete()
                            .withMaxLength(Options.MAX_PROMPT)),
            Subcommand.of("import", "Import a baked path file (.pt or .safetensors)",
                    Option.file("file", "The baked path").asRequired())), true);

    private static final List<String> SUBCOMMANDS = DEFINITION.subcommands().stream()
            .map(sub -> DEFINITION.name() + " " + sub.name()).toList();

    private final Replies replies;
    private final BakedPrompts baked;
    private final LongSupplier seeds;

    BakeSlashCommand(Replies replies, BakedPrompts baked, LongSupplier seeds) {
        this.replies = replies;
        this.baked = baked;
        this.seeds = seeds;
    }

    @Override
    public Definition definition() {
        return DEFINITION;
    }

    @Override
    public void handle(Interaction i) {
        if (!SUBCOMMANDS.contains(i.command())) {
            i.replyPrivately(Messages.unknownCommand(i.command()));
            return;
        }
        if (!i.mayBake()) {
            throw new InvalidInputException(Messages.BAKERS_ONLY);
        }
        switch (i.command()) {
            case "bake add" -> {
                DreamSlashCommand.requireChannelPermissions(i);
                DreamRequest request = DreamRequest.of(Options.prompt("prompt", i.option("prompt")), seeds.getAsLong());
                replies.acceptJob(i, JobKind.BAKE, () -> request);
            }
            case "bake list" -> {
                String given = i.option("prompt").orElse("");
                replies.answerLater(i, () -> {
                    String prefix = BakedChoices.resolve(given.strip(), baked);
                    return Messages.bakedList(prefix, baked.search(prefix, LISTED).stream()
                            .map(BakedPrompts.Baked::prompt).toList(), LISTED);
                });
            }
            case "bake remove" -> {
                String prompt = Options.prompt("prompt", i.option("prompt"));
                replies.answerLater(i, () -> {
                    String resolved = BakedChoices.resolve(prompt, baked);
                    return Messages.removed(resolved, baked.remove(resolved));
                });
            }
            case "bake import" -> {
                Attachment file = i.attachment("file").orElseThrow(() -> new InvalidInputException(Messages.ATTACH_A_FILE));
                if (file.size() > MAX_IMPORT_BYTES) {
                    throw new InvalidInputException(Messages.FILE_TOO_BIG);
                }
                replies.answerLater(i, () -> Messages.imported(baked.importAttachment(file.fileName(),
                        file.download().call())));
            }
            default -> throw new IllegalStateException(i.command());
        }
    }
}
