package dev.dreamoven.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import dev.dreamoven.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bot's own tables (posted results, reply tokens) behave the same on SQLite and on PostgreSQL. */
class BotTablesOnBothStoresTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> stores() {
        Function<String, Database> sqlite = name -> Database.open(dir.resolve(name + ".db"));
        Function<String, Database> postgres = name -> TestPostgres.openNewDatabase();
        return Stream.of(Arguments.of("SQLite", sqlite), Arguments.of("PostgreSQL", postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aPostedResultIsFoundByItsMessageAndRecordedAgainWithoutAnError(String store,
            Function<String, Database> open) {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
        try (Database db = open.apply("results");
                RenderQueue queue = new RenderQueue(db, new PlaceholderEngine(1, 0),
                        new RenderQueue.Settings(10, 10, dir.resolve("r"), 2, 1000), clock)) {
            long job = queue.submit(JobKind.DREAM, "ann", JobOrigin.none(), DreamRequest.of("a red circle", 1))
                    .job().id();
            ResultMessages results = new ResultMessages(db, clock);
            results.record(new ResultMessages.ResultMessage("m1", "c1", job, "ann"));
            results.record(new ResultMessages.ResultMessage("m1", "c2", job, "ann")); // posted again: replaced
            assertThat(results.find("m1")).contains(new ResultMessages.ResultMessage("m1", "c2", job, "ann"));
            results.forget("m1");
            assertThat(results.find("m1")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aReplyTokenIsKeptUntilItExpiresAndSavingItAgainReplacesIt(String store, Function<String, Database> open) {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
        try (Database db = open.apply("tokens")) {
            ReplyTokens tokens = new ReplyTokens(db, clock);
            Instant later = clock.instant().plusSeconds(600);
            tokens.save(new ReplyHandle("k", "old", later));
            tokens.save(new ReplyHandle("k", "new", later));
            tokens.save(new ReplyHandle("gone", "t", clock.instant().minusSeconds(1)));
            assertThat(tokens.find("k")).map(ReplyHandle::token).contains("new");
            assertThat(tokens.find("gone")).isEmpty();
        }
    }
}
