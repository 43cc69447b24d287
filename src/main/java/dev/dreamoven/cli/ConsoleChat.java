package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bot.Attachment;
import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.Interaction;
import dev.dreamoven.bot.Post;
import dev.dreamoven.bot.SlashCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console as a chat transport: lines typed like Discord commands become {@link Interaction}s,
 * and what the bot would post is printed with a message id, pictures written to files.
 */
final class ConsoleChat implements Channels {

    static final String CHANNEL = "console";
    private static final Pattern OPTION = Pattern.compile("(\\w+):(\"([^\"]*)\"|(\\S+))");
    private final PrintWriter out;
    private final Path folder;
    /** Each command ("bake add") and the options it knows; its bare text fills the first. */
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong interactions = new AtomicLong();

    ConsoleChat(PrintWriter out, Path folder) {
        this.out = out;
        this.folder = folder;
    }

    /** The bot's commands, as the console reads them. */
    void register(List<SlashCommand.Definition> definitions) {
        for (SlashCommand.Definition d : definitions) {
            if (d.subcommands().isEmpty()) {
                commands.put(d.name(), d.options().stream().map(SlashCommand.Option::name).toList());
            }
            d.subcommands().forEach(sub -> commands.put(d.name() + " " + sub.name(),
                    sub.options().stream().map(SlashCommand.Option::name).toList()));
        }
    }

    /** A reaction line {@code react <message-id> <emoji>}. */
    record Reaction(String messageId, String emoji) {
    }

    static Optional<Reaction> reaction(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length == 3 && parts[0].equals("react")) {
            String emoji = switch (parts[2]) {
                case "rerun", ":repeat:" -> "🔁";
                case "delete", ":x:" -> "❌";
                default -> parts[2];
            };
            return Optional.of(new Reaction(parts[1], emoji));
        }
        return Optional.empty();
    }

    /** Parses {@code /dream a red circle} or {@code /dream prompt:"a red circle" size:32}. */
    Interaction command(String line, String user) {
        String rest = line.strip().substring(1);
        String command = null;
        for (String c : commands.keySet()) {
            if (rest.equals(c) || rest.startsWith(c + " ")) {
                command = c;
            }
        }
        if (command == null) {
            throw new InvalidInputException("unknown command: " + line.strip()
                    + " (try /dream, /bake add|list|remove|import, /queue, /cancel, react <id> 🔁)");
        }
        String args = rest.substring(command.length()).strip();
        List<String> known = commands.get(command);
        Map<String, String> options = new LinkedHashMap<>();
        Matcher m = OPTION.matcher(args);
        boolean named = m.find() && known.contains(m.group(1)) && m.start() == 0;
        if (named) {
            m.reset();
            int end = 0;
            while (m.find()) {
                if (!args.substring(end, m.start()).isBlank() || !known.contains(m.group(1))) {
                    throw new InvalidInputException("cannot read the options of: " + line.strip());
                }
                options.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
                end = m.end();
            }
            if (!args.substring(end).isBlank()) {
                throw new InvalidInputException("cannot read the options of: " + line.strip());
            }
        } else if (!args.isEmpty() && !known.isEmpty()) {
            options.put(known.get(0), args);
        }
        return new ConsoleInteraction("i" + interactions.incrementAndGet(), command, user, options);
    }

    private synchronized void print(String line) {
        out.println(line);
        out.flush();
    }

    private String picture(String messageId, Post post) {
        if (!post.hasPicture()) {
            return "";
        }
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve("message-" + messageId + "-" + post.fileName().replaceAll("[^\\w.-]", "_"));
            Files.write(file, post.png());
            return "  [picture: " + file + "]";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CompletableFuture<String> post(String channelId, Post post) {
        String id = Long.toString(ids.incrementAndGet());
        print("[message " + id + "] " + post.text() + picture(id, post));
        return CompletableFuture.completedFuture(id);
    }

    @Override
    public void edit(String channelId, String messageId, Post post) {
        print("[message " + messageId + " edited] " + post.text() + picture(messageId, post));
    }

    @Override
    public void react(String channelId, String messageId, String emoji) {
        print("[message " + messageId + "] + " + emoji);
    }

    @Override
    public void delete(String channelId, String messageId) {
        print("[message " + messageId + " deleted]");
    }

    private final class ConsoleInteraction implements Interaction {
        private final String id;
        private final String command;
        private final String user;
        private final Map<String, String> options;
        private volatile String replyId;

        ConsoleInteraction(String id, String command, String user, Map<String, String> options) {
            this.id = id;
            this.command = command;
            this.user = user;
            this.options = options;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String command() {
            return command;
        }

        @Override
        public String userId() {
            return user;
        }

        @Override
        public String guildId() {
            return null;
        }

        @Override
        public String channelId() {
            return CHANNEL;
        }

        // whoever runs the console owns the bot
        @Override
        public boolean mayBake() {
            return true;
        }

        @Override
        public boolean mayModerate() {
            return true;
        }

        @Override
        public boolean isOwner() {
            return true;
        }

        @Override
        public List<String> missingChannelPermissions() {
            return List.of();
        }

        @Override
        public Optional<String> option(String name) {
            return Optional.ofNullable(options.get(name));
        }

        @Override
        public Optional<Attachment> attachment(String name) {
            return option(name).map(Path::of).map(p -> {
                if (!Files.isRegularFile(p)) {
                    throw new InvalidInputException("no such file: " + p);
                }
                try {
                    return new Attachment(p.getFileName().toString(), Files.size(p), () -> Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        @Override
        public void defer(boolean ephemeral) {
            replyId = Long.toString(ids.incrementAndGet());
        }

        @Override
        public void reply(String text) {
            if (replyId == null) {
                replyId = Long.toString(ids.incrementAndGet());
            }
            print("[message " + replyId + "] " + text);
        }

        @Override
        public void replyPrivately(String text) {
            print("[only you] " + text);
        }

        @Override
        public boolean edit(Post post) {
            print("[message " + replyId + "] " + post.text() + picture(replyId, post));
            return true;
        }

        @Override
        public CompletableFuture<String> followUp(Post post) {
            return post(CHANNEL, post);
        }

        @Override
        public boolean expired() {
            return false;
        }
    }
}
