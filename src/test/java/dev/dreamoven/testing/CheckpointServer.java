package dev.dreamoven.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for OpenAI's download server on 127.0.0.1 (a free port), on plain sockets so that it
 * can really cut a connection: serves files at {@code /<path>}, honours {@code Range: bytes=N-}
 * with a 206, can cut its next answers half-way (socket closed under a half-sent body) or answer
 * slowly (so two clients overlap). Records every request's path and Range header. One request per
 * connection ({@code Connection: close}).
 */
public final class CheckpointServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String path, String range) {
    }

    private final ServerSocket socket;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile long delayMillis;

    public CheckpointServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        workers.submit(this::accept);
    }

    /** Serves {@code file} at {@code /<path>} (e.g. {@code sha256 + "/tiny-clip.pt"}). */
    public CheckpointServer serve(String path, Path file) {
        files.put("/" + path, file);
        return this;
    }

    /** The next {@code n} answers with a body send half of it and close the connection. */
    public CheckpointServer cutNext(int n) {
        cutsLeft.set(n);
        return this;
    }

    /** Every answer waits this long before its body. */
    public CheckpointServer delay(long millis) {
        delayMillis = millis;
        return this;
    }

    /** The base URL, ending in a slash. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                workers.submit(() -> answer(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket client) {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) {
                return;
            }
            String path = requestLine.split(" ")[1];
            String range = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase(Locale.ROOT).startsWith("range:")) {
                    range = line.substring(6).strip();
                }
            }
            requests.add(new Request(path, range));
            OutputStream out = client.getOutputStream();
            Path file = files.get(path);
            if (file == null) {
                head(out, "404 Not Found", 0, null);
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            int from = range != null && range.matches("bytes=\\d+-")
                    ? Integer.parseInt(range.substring(6, range.length() - 1)) : 0;
            if (from >= bytes.length && from > 0) {
                head(out, "416 Range Not Satisfiable", 0, null);
                return;
            }
            Thread.sleep(delayMillis);
            head(out, from > 0 ? "206 Partial Content" : "200 OK", bytes.length - from,
                    from > 0 ? "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length : null);
            if (cutsLeft.getAndDecrement() > 0) {
                out.write(bytes, from, (bytes.length - from) / 2);
                out.flush();
                return; // the socket closes under a half-sent body
            }
            out.write(bytes, from, bytes.length - from);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server is closing
        }
    }

    private static void head(OutputStream out, String status, long length, String contentRange) throws IOException {
        String head = "HTTP/1.1 " + status + "\r\nContent-Length: " + length + "\r\n"
                + (contentRange == null ? "" : "Content-Range: " + contentRange + "\r\n")
                + "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        workers.shutdownNow();
    }
}
