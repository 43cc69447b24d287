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
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The console as a chat transport: lines typed like Discord commands become {@link Interaction}s,
 * and what the bot would post is printed with a message id, pictures written to files. Message ids
 * go on from where the last session in the same folder stopped (file {@value #LAST_ID_FILE}), so
 * reactions and picture files of two sessions never mix.
 */
final class ConsoleChat implements Channels {

    static final String CHANNEL = "console";
    static final String LAST_ID_FILE = "last-message-id";
    /** Result pictures posted ("file-name message-id" a line), so a restart never posts one twice. */
    static final String POSTED_FILE = "posted-pictures";
    private final PrintWriter out;
    private final Path folder;
    /** Each command ("bake add") and the options it knows; its bare text fills the first. */
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private final AtomicLong ids;
    private final Map<String, String> postedPictures;
    private final AtomicLong interactions = new AtomicLong();
    /** Interaction ids are reply keys stored with jobs: unique across sessions, too. */
    private final String session = Long.toString(System.currentTimeMillis(), 36);

    /**
     * @param newDatabase the console's database was just created: job numbers start again, so the
     *     record of posted pictures (named by job) starts again too
     */
    ConsoleChat(PrintWriter out, Path folder, boolean newDatabase) {
        this.out = out;
        this.folder = folder;
        this.ids = new AtomicLong(lastId(folder.resolve(LAST_ID_FILE)));
        if (newDatabase) {
            try {
                Files.deleteIfExists(folder.resolve(POSTED_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reset " + folder.resolve(POSTED_FILE), e);
            }
        }
        this.postedPictures = postedPictures(folder.resolve(POSTED_FILE));
    }

    private static long lastId(Path file) {
        try {
            return Files.isRegularFile(file) ? Long.parseLong(Files.readString(file).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** A new message id, remembered for the next session. */
    private String nextId() {
        synchronized (ids) {
            long id = ids.incrementAndGet();
            try {
                Files.createDirectories(folder);
                Files.writeString(folder.resolve(LAST_ID_FILE), Long.toString(id));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remember message ids in " + folder, e);
            }
            return Long.toString(id);
        }
    }

    /** The bot's commands, as the console reads them. */
    void register(List<SlashCommand.Definition> definitions) {
        for (SlashCommand.Definition d : definitions) {
            if (d.subcommands().isEmpty()) {
                commands.put(d.name(), d.options().stream().map(SlashCommand.Option::name).toList());
                descriptions.put(d.name(), d.description());
            }
            d.subcommands().forEach(sub -> {
                commands.put(d.name() + " " + sub.name(), sub.options().stream().map(SlashCommand.Option::name).toList());
                descriptions.put(d.name() + " " + sub.name(), sub.description());
            });
        }
    }

    /** {@code /help}: the bot's commands with their options, and the console's own lines. */
    String help() {
        StringBuilder sb = new StringBuilder("Commands (options as name:value, quotes around spaces; "
                + "bare text fills the first option):");
        commands.forEach((name, options) -> sb.append("\n  /").append(name)
                .append(options.isEmpty() ? "" : " [" + String.join("] [", options) + "]")
                .append(" - ").append(descriptions.get(name)));
        sb.append("\n  react <message-id> 🔁|❌ - rerun a result with a new seed, or delete your own")
                .append("\n  wait - until the queue is empty")
                .append("\n  as NAME <line> - act as another user")
                .append("\n  /help - this list");
        return sb.toString();
    }

    /** Prints a line only {@code user} would see. */
    void tell(String user, String text) {
        print("[only you] " + text);
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
            throw new InvalidInputException("unknown command: " + shorten(line.strip())
                    + " (try /help, /dream, /bake add|list|remove|import, /queue, /cancel, react <id> 🔁)");
        }
        String args = rest.substring(command.length()).strip();
        List<String> known = commands.get(command);
        Map<String, String> options = new LinkedHashMap<>();
        Optional<Map<String, String>> named = namedOptions(args, known);
        if (named.isPresent()) {
            options.putAll(named.get());
        } else if (startsWithKnownOption(args, known)) {
            throw new InvalidInputException("cannot read the options of: " + shorten(line.strip()));
        } else if (!args.isEmpty() && !known.isEmpty()) {
            options.put(known.get(0), args);
        }
        return new ConsoleInteraction("i" + session + "-" + interactions.incrementAndGet(), command, user, options);
    }

    /**
     * {@code name:value name:"a value"...}, every name known, nothing else between them; empty when
     * {@code args} is not such a list. One pass over the text: an 80,000-character line takes
     * microseconds (a backtracking regex took minutes).
     */
    static Optional<Map<String, String>> namedOptions(String args, List<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        int i = 0;
        int n = args.length();
        while (true) {
            while (i < n && Character.isWhitespace(args.charAt(i))) {
                i++;
            }
            if (i == n) {
                return options.isEmpty() ? Optional.empty() : Optional.of(options);
            }
            int nameStart = i;
            while (i < n && isWordChar(args.charAt(i))) {
                i++;
            }
            if (i == nameStart || i == n || args.charAt(i) != ':' || !known.contains(args.substring(nameStart, i))) {
                return Optional.empty();
            }
            String name = args.substring(nameStart, i);
            i++; // the colon
            String value;
            int close = i < n && args.charAt(i) == '"' ? args.indexOf('"', i + 1) : -1;
            if (close >= 0) {
                value = args.substring(i + 1, close);
                i = close + 1;
            } else {
                int valueStart = i;
                while (i < n && !Character.isWhitespace(args.charAt(i))) {
                    i++;
                }
                if (i == valueStart) {
                    return Optional.empty();
                }
                value = args.substring(valueStart, i);
            }
            if (i < n && !Character.isWhitespace(args.charAt(i))) {
                return Optional.empty(); // "size:"32"x
            }
            options.put(name, value);
        }
    }

    /** {@code size:...} at the start: meant as options, so bad ones are refused rather than dreamt. */
    private static boolean startsWithKnownOption(String args, List<String> known) {
        int i = 0;
        while (i < args.length() && isWordChar(args.charAt(i))) {
            i++;
        }
        return i > 0 && i < args.length() && args.charAt(i) == ':' && known.contains(args.substring(0, i));
    }

    private static boolean isWordChar(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 199) + "…";
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

    /**
     * Posts, once per picture: a result that was printed before a crash, but not yet marked
     * delivered in the database, is not printed again when the restarted queue delivers it anew.
     * The record is written right after the line, so the window for a repeat is a few microseconds
     * rather than the two database writes that follow the post.
     */
    @Override
    public CompletableFuture<String> post(String channelId, Post post) {
        String key = post.hasPicture() ? post.fileName() : null;
        String earlier = key == null ? null : postedPictures.get(key);
        if (earlier != null) {
            return CompletableFuture.completedFuture(earlier);
        }
        String id = nextId();
        print("[message " + id + "] " + post.text() + picture(id, post));
        if (key != null) {
            rememberPosted(key, id);
        }
        return CompletableFuture.completedFuture(id);
    }

    private synchronized void rememberPosted(String fileName, String messageId) {
        postedPictures.put(fileName, messageId);
        try {
            Files.writeString(folder.resolve(POSTED_FILE), fileName + " " + messageId + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remember posted pictures in " + folder, e);
        }
    }

    private static Map<String, String> postedPictures(Path file) {
        Map<String, String> posted = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.split(" ");
                    if (parts.length == 2) {
                        posted.put(parts[0], parts[1]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return posted;
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
        private volatile boolean ephemeral;

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
            this.ephemeral = ephemeral;
            if (!ephemeral) {
                replyId = nextId();
            }
        }

        /** After a private {@link #defer} the answer is private too, as on Discord. */
        @Override
        public void reply(String text) {
            if (ephemeral) {
                replyPrivately(text);
                return;
            }
            if (replyId == null) {
                replyId = nextId();
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
