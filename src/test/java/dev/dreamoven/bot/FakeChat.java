package dev.dreamoven.bot;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A transport for tests: interactions with given options, and channels that write down what was posted. */
final class FakeChat implements Channels {

    /** One thing the bot did, e.g. {@code post 5 c1 <text>} or {@code edit-reply i1 <text>}. */
    record Event(String kind, String messageId, String text, boolean picture) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();
    /** The threads {@link #react} was called on. */
    final List<String> reactThreads = new CopyOnWriteArrayList<>();
    /** Where posts complete, like a transport's own threads; null: at once, on the caller's thread. */
    volatile java.util.concurrent.Executor completeOn;
    /** Posts with a picture fail, like a channel the bot may no longer attach files in. */
    volatile boolean failPictures;
    private final AtomicLong ids = new AtomicLong(100);
    /** The nonce each post carried, by message id (posts without one are absent). */
    final Map<String, String> nonces = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public CompletableFuture<String> post(String channelId, Post post) {
        String id = Long.toString(ids.incrementAndGet());
        events.add(new Event("post", id, post.text(), post.hasPicture()));
        post.nonce().ifPresent(n -> nonces.put(id, n));
        if (failPictures && post.hasPicture()) {
            return CompletableFuture.failedFuture(new IllegalStateException("403: Missing Permissions"));
        }
        java.util.concurrent.Executor on = completeOn;
        return on == null ? CompletableFuture.completedFuture(id) : CompletableFuture.supplyAsync(() -> id, on);
    }

    @Override
    public void edit(String channelId, String messageId, Post post) {
        events.add(new Event("edit", messageId, post.text(), post.hasPicture()));
    }

    @Override
    public void react(String channelId, String messageId, String emoji) {
        reactThreads.add(Thread.currentThread().getName());
        events.add(new Event("react", messageId, emoji, false));
    }

    @Override
    public void delete(String channelId, String messageId) {
        events.add(new Event("delete", messageId, "", false));
    }

    Optional<Event> find(String kind, String textPart) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.text().contains(textPart)).findFirst();
    }

    FakeInteraction interaction(String id, String command, String user, Map<String, String> options) {
        return new FakeInteraction(id, command, user, options);
    }

    final class FakeInteraction implements Interaction {
        private final String id;
        private final String command;
        private final String user;
        private final Map<String, String> options;
        volatile boolean expired;
        volatile boolean deferred;
        volatile boolean owner;
        volatile boolean moderator;
        volatile String guild = "g";
        volatile List<String> missingPermissions = List.of();

        FakeInteraction(String id, String command, String user, Map<String, String> options) {
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
            return guild;
        }

        @Override
        public String channelId() {
            return "c1";
        }

        @Override
        public boolean mayBake() {
            return false;
        }

        @Override
        public boolean mayModerate() {
            return moderator;
        }

        @Override
        public boolean isOwner() {
            return owner;
        }

        @Override
        public List<String> missingChannelPermissions() {
            return missingPermissions;
        }

        @Override
        public Optional<String> option(String name) {
            return Optional.ofNullable(options.get(name));
        }

        @Override
        public Optional<Attachment> attachment(String name) {
            return Optional.empty();
        }

        @Override
        public void defer(boolean ephemeral) {
            deferred = true;
        }

        @Override
        public void reply(String text) {
            events.add(new Event("reply", id, text, false));
        }

        @Override
        public void replyPrivately(String text) {
            events.add(new Event("private", id, text, false));
        }

        @Override
        public boolean edit(Post post) {
            if (expired) {
                return false;
            }
            events.add(new Event("edit-reply", id, post.text(), post.hasPicture()));
            return true;
        }

        @Override
        public CompletableFuture<String> followUp(Post post) {
            if (expired) {
                return CompletableFuture.failedFuture(new IllegalStateException("expired"));
            }
            String mid = Long.toString(ids.incrementAndGet());
            events.add(new Event("follow-up", mid, post.text(), post.hasPicture()));
            return CompletableFuture.completedFuture(mid);
        }

        @Override
        public boolean expired() {
            return expired;
        }
    }
}
