package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.CheckpointServer;
import dev.dreamoven.testing.FetchMain;
import dev.dreamoven.testing.Jvm;
import dev.dreamoven.testing.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First use of a named checkpoint: download, resume, checksum, one download for two users, offline. */
class DownloadsTest {

    @TempDir
    Path cache;

    private Path golden;
    private String sha;
    private CheckpointServer server;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private Downloads downloads;

    @BeforeEach
    void serveTheTinyCheckpoint() throws Exception {
        golden = SharedFixtures.require("clip-golden/tiny-clip.pt");
        sha = Downloads.sha256(golden);
        server = new CheckpointServer().serve(sha + "/tiny-clip.pt", golden);
        downloads = new Downloads(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI url() {
        return server.baseUrl().resolve(sha + "/tiny-clip.pt");
    }

    @Test
    void aMissingFileIsDownloadedVerifiedAndRenamedWithAProgressBar() throws Exception {
        Path file = downloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));

        assertThat(file).hasSameBinaryContentAs(golden);
        assertThat(cache.resolve("tiny-clip.pt.part")).doesNotExist();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("downloading tiny-clip.pt").contains("100%");
    }

    @Test
    void aFileInTheCacheIsVerifiedAndNotDownloadedAgain() {
        downloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));

        downloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));

        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCutConnectionIsResumedWithARangeRequest() {
        server.cutNext(1);

        Path file = downloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));

        assertThat(file).hasSameBinaryContentAs(golden);
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).range()).isNull();
        assertThat(server.requests().get(1).range()).matches("bytes=[1-9][0-9]*-");
    }

    @Test
    void aPartialDownloadLeftByAnEarlierRunIsResumed() throws Exception {
        byte[] bytes = Files.readAllBytes(golden);
        Files.write(cache.resolve("tiny-clip.pt.part"), java.util.Arrays.copyOf(bytes, 1000));

        Path file = downloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));

        assertThat(file).hasSameBinaryContentAs(golden);
        assertThat(server.requests()).extracting(CheckpointServer.Request::range).containsExactly("bytes=1000-");
    }

    @Test
    void aDownloadWithTheWrongChecksumIsRefusedAndDeleted() {
        String other = "0".repeat(64);
        server.serve(other + "/tiny-clip.pt", golden);

        assertThatThrownBy(() -> downloads.fetch(server.baseUrl().resolve(other + "/tiny-clip.pt"), other, 0,
                cache.resolve("tiny-clip.pt")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has SHA-256 " + sha + ", not " + other)
                .hasMessageContaining("refused and deleted");
        assertThat(cache.resolve("tiny-clip.pt")).doesNotExist();
        assertThat(cache.resolve("tiny-clip.pt.part")).doesNotExist();
    }

    @Test
    void aCorruptFileInTheCacheIsReplaced() throws Exception {
        Files.writeString(cache.resolve("tiny-clip.pt"), "not a checkpoint");

        Path file = downloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));

        assertThat(file).hasSameBinaryContentAs(golden);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("does not match its SHA-256");
    }

    @Test
    void twoFirstUsesAtOnceDownloadOnce() throws Exception {
        server.delay(300);
        CountDownLatch go = new CountDownLatch(1);
        Callable<Path> first = () -> {
            go.await();
            return downloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));
        };
        Downloads otherDreamsDownloads = new Downloads(null);
        Callable<Path> second = () -> {
            go.await();
            return otherDreamsDownloads.fetch(url(), sha, 0, cache.resolve("tiny-clip.pt"));
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = pool.submit(first);
            Future<Path> b = pool.submit(second);
            go.countDown();

            assertThat(a.get()).isEqualTo(b.get()).hasSameBinaryContentAs(golden);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void twoProcessesThatWantTheSameFileDownloadItOnce() throws Exception {
        server.delay(3000); // the first process holds the lock this long
        Path target = cache.resolve("tiny-clip.pt");
        try (Jvm first = Jvm.start(cache, FetchMain.class.getName(), url().toString(), sha, target.toString())) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (server.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.requests()).as(first.output()).hasSize(1);
            // The first is now downloading: the second must wait for its lock, then find the file.
            try (Jvm second = Jvm.start(cache, FetchMain.class.getName(), url().toString(), sha, target.toString())) {
                assertThat(first.awaitExit(60)).as(first.output()).isZero();
                assertThat(second.awaitExit(60)).as(second.output()).isZero();
                assertThat(second.output()).contains("fetched " + target);
            }
        }
        assertThat(server.requests()).hasSize(1);
        assertThat(target).hasSameBinaryContentAs(golden);
    }

    @Test
    void offlineTheErrorIsOneLineNamingTheUrlAndWhereToPutTheFile() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/" + sha + "/tiny-clip.pt");
        Downloads offline = new Downloads(null, Duration.ofSeconds(2));
        Path target = cache.resolve("tiny-clip.pt");

        assertThatThrownBy(() -> offline.fetch(nowhere, sha, 0, target))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("cannot download tiny-clip.pt (offline? no connection): fetch " + nowhere
                        + " and put it at " + target.toAbsolutePath().normalize());
    }

    @Test
    void aMissingFileOnTheServerSaysWhichUrl() {
        URI missing = server.baseUrl().resolve(sha + "/nothing.pt");

        assertThatThrownBy(() -> downloads.fetch(missing, sha, 0, cache.resolve("nothing.pt")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(missing + " answered HTTP 404");
    }
}
