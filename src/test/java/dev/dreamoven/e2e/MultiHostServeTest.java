package dev.dreamoven.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import dev.dreamoven.lab.fakediscord.FakeGuild;
import dev.dreamoven.lab.fakediscord.FakeMessage;
import dev.dreamoven.lab.fakediscord.Snowflakes;
import dev.dreamoven.lab.postgres.TempPostgres;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import dev.dreamoven.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dream Oven past one machine: three render workers and two bots (one per shard), each its own
 * {@code serve} process, on one PostgreSQL, with a shared results folder, against a fake Discord of
 * two shards. 500 dreams from 50 users; workers and bots are killed with SIGKILL at random and started
 * again. Every job is rendered and delivered, and no picture reaches Discord twice.
 */
@Tag("slow")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class MultiHostServeTest {

    private static final int JOBS = 500;
    private static final int USERS = 50;
    private static final int KILLS = 12;
    private static final Pattern JOB_ID = Pattern.compile("· job #(\\d+)$");

    @TempDir
    Path dir;

    @Test
    void threeWorkersAndTwoBotsKilledAtRandomRenderEveryJobOnceAndDeliverItOnce() throws Exception {
        String url = TestPostgres.newDatabaseUrl();
        long guild0 = Snowflakes.guildIdForShard(0, 2);
        long guild1 = Snowflakes.guildIdForShard(1, 2);
        long channel0 = Snowflakes.next();
        long channel1 = Snowflakes.next();
        List<Long> users = new ArrayList<>();
        FakeGuild.Builder g0 = FakeGuild.builder(guild0, "zero").textChannel(channel0, "art");
        FakeGuild.Builder g1 = FakeGuild.builder(guild1, "one").textChannel(channel1, "art");
        for (int u = 0; u < USERS; u++) {
            long id = Snowflakes.next();
            users.add(id);
            g0.member(id, "user" + u);
            g1.member(id, "user" + u);
        }
        Random random = new Random(18);
        try (FakeDiscord fake = FakeDiscord.builder().shards(2).guild(g0.build()).guild(g1.build()).start()) {
            Map<String, String> common = new LinkedHashMap<>();
            common.put("store.url", url);
            common.put("store.user", TempPostgres.USER);
            common.put("store.results", dir.resolve("shared-results").toString());
            // long enough that a worker starved of CPU on this busy machine (five JVMs, PostgreSQL, the fake) is
            // never taken for a dead one: a kill then costs its job one attempt, not two
            common.put("render.lease-seconds", "5");
            common.put("render.capacity", "1000");
            common.put("discord.shards", "2");
            common.put("discord.guilds", guild0 + "," + guild1);
            common.put("discord.delivery-retry-seconds", "1");
            Map<String, String> env = new HashMap<>(Serve.environment(fake));
            env.put("DREAMOVEN_STORE_PASSWORD", TestPostgres.cluster().password());

            List<Role> roles = List.of(new Role("worker-0", List.of("--role", "worker"), Map.of()),
                    new Role("worker-1", List.of("--role", "worker"), Map.of()),
                    new Role("worker-2", List.of("--role", "worker"), Map.of()),
                    new Role("bot-0", List.of("--role", "bot"), Map.of("discord.shard-ids", "0")),
                    new Role("bot-1", List.of("--role", "bot"), Map.of("discord.shard-ids", "1")));
            List<Serve> processes = new ArrayList<>();
            for (Role r : roles) {
                processes.add(r.start(dir, common, env));
            }

            // 500 dreams from 50 users in two guilds, queued as the bots' /dream would queue them
            try (Database db = TestPostgres.open(url); RenderQueue submitter = new RenderQueue(db,
                    new PlaceholderEngine(1, 0), new RenderQueue.Settings(1000, 20, dir.resolve("unused"), 3, 1000),
                    Clock.systemUTC())) {
                for (int i = 0; i < JOBS; i++) {
                    boolean first = i % 2 == 0;
                    submitter.submit(JobKind.DREAM, Long.toString(users.get(i % USERS)),
                            new JobOrigin(Long.toString(first ? guild0 : guild1), Long.toString(first ? channel0
                                    : channel1), null), DreamRequest.of("dream " + i, i));
                }
            }

            int kills = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (count(url, "SELECT COUNT(*) FROM jobs WHERE delivered = 1") < JOBS) {
                assertThat(System.nanoTime()).as("all delivered in time; " + summary(url)).isLessThan(deadline);
                Thread.sleep(1000 + random.nextInt(2500));
                if (kills < KILLS) {
                    int victim = random.nextInt(processes.size());
                    processes.get(victim).kill9();
                    processes.set(victim, roles.get(victim).start(dir, common, env));
                    kills++;
                }
            }
            for (Serve p : processes) {
                p.close();
            }

            assertThat(count(url, "SELECT COUNT(*) FROM jobs WHERE status = 'done'"))
                    .as("done; the others: " + text(url, "SELECT string_agg(id || ' ' || status || ' after ' || attempts "
                            + "|| ' attempts: ' || coalesce(notice, error, ''), '; ') FROM jobs WHERE status <> 'done'"))
                    .isEqualTo(JOBS);
            Map<Long, Integer> posted = new HashMap<>();
            for (FakeMessage m : World.results(fake)) {
                Matcher id = JOB_ID.matcher(m.content());
                assertThat(id.find()).as(m.content()).isTrue();
                posted.merge(Long.parseLong(id.group(1)), 1, Integer::sum);
            }
            assertThat(posted).as("one result message per job").hasSize(JOBS);
            assertThat(posted.values()).as("no job delivered twice").containsOnly(1);
            assertThat(count(url, "SELECT COUNT(*) FROM jobs WHERE claim > 1"))
                    .as("jobs taken back from a killed worker (informational)").isGreaterThanOrEqualTo(0);
            System.out.println("multi-host: " + JOBS + " jobs, " + kills + " kills; " + summary(url));
        }
    }

    /** One process of the deployment: its options and settings, started again after each kill. */
    private record Role(String name, List<String> options, Map<String, String> settings) {
        Serve start(Path dir, Map<String, String> common, Map<String, String> env) throws Exception {
            Map<String, String> all = new LinkedHashMap<>(common);
            all.putAll(settings);
            Path home = dir.resolve(name);
            Path config = Serve.config(home, all);
            List<String> serveOptions = new ArrayList<>(options);
            serveOptions.addAll(List.of("--placeholder-steps", "4", "--placeholder-step-ms", "25"));
            return Serve.childProcess(config, env, home, serveOptions);
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(url, TempPostgres.USER,
                TestPostgres.cluster().password()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(String url, String sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(url, TempPostgres.USER,
                TestPostgres.cluster().password()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String summary(String url) throws SQLException {
        return "done " + count(url, "SELECT COUNT(*) FROM jobs WHERE status = 'done'") + ", delivered "
                + count(url, "SELECT COUNT(*) FROM jobs WHERE delivered = 1") + ", running "
                + count(url, "SELECT COUNT(*) FROM jobs WHERE status = 'running'") + ", failed "
                + count(url, "SELECT COUNT(*) FROM jobs WHERE status = 'failed'") + ", taken back "
                + count(url, "SELECT COUNT(*) FROM jobs WHERE claim > 1");
    }
}
