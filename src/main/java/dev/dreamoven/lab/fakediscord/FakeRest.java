package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the fake: a JDK {@link HttpServer} on 127.0.0.1 and an ephemeral port that parses each
 * request (percent-decoded path segments, query, multipart parts, JSON payload), applies the scripted
 * {@link RouteRule}s, routes it to a handler, records it with the status it got, and answers with Discord's
 * rate-limit headers.
 */
final class FakeRest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeRest.class);

    /** A request routed to a handler: the recorded request, the template's named segments, the JSON payload. */
    record Call(RecordedRequest request, Map<String, String> params, JsonObject payload) {
        String param(String name) {
            return params.get(name);
        }

        long id(String name) {
            try {
                return Long.parseUnsignedLong(params.get(name));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /** An answer. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply json(int status, JsonElement json) {
            return new Reply(status, "application/json", json.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Reply ok(JsonElement json) {
            return json(200, json);
        }

        static Reply noContent() {
            return new Reply(204, null, new byte[0], Map.of());
        }

        static Reply error(int status, int code, String message) {
            JsonObject body = new JsonObject();
            body.addProperty("message", message);
            body.addProperty("code", code);
            return json(status, body);
        }

        static Reply bytes(String contentType, byte[] body) {
            return new Reply(200, contentType, body, Map.of());
        }
    }

    interface Handler {
        Reply handle(Call call);
    }

    private record Route(String method, String template, String[] segments, boolean needsAuth, Handler handler) {
    }

    private final String token;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<RouteRule> rules = new CopyOnWriteArrayList<>();
    private final Recorder<RecordedRequest> requests = new Recorder<>("REST requests");
    private final HttpServer server;
    private final ExecutorService executor;

    FakeRest(String token) throws IOException {
        this.token = token;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-discord-rest-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT/}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The base URL to give {@code RestConfig#setBaseUrl}: {@code http://127.0.0.1:PORT/api/v10/}. */
    String apiBaseUrl() {
        return baseUrl() + "api/v10/";
    }

    Recorder<RecordedRequest> requests() {
        return requests;
    }

    /** Registers a route; {@code {name}} segments match any one segment and are handed to the handler. */
    void route(String method, String template, boolean needsAuth, Handler handler) {
        routes.add(new Route(method, template, template.replaceAll("^/+", "").split("/", -1), needsAuth, handler));
    }

    RouteRule addRule(String description, Predicate<RecordedRequest> match) {
        RouteRule rule = new RouteRule(description, match);
        rules.add(rule);
        return rule;
    }

    void clearRules() {
        rules.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Instant at = Instant.now();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            String apiPath = rawPath.replaceFirst("^/api(/v\\d+)?(?=/)", "");
            String path = decodePath(apiPath);
            Map<String, List<String>> query = decodeQuery(exchange.getRequestURI().getRawQuery());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            boolean authorized = false;
            for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (name.equals("authorization")) {
                    authorized = h.getValue().contains("Bot " + token);
                    headers.put(name, List.of("<redacted>"));
                } else {
                    headers.put(name, List.copyOf(h.getValue()));
                }
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            List<Part> parts = List.of();
            JsonElement json = null;
            String jsonError = null;
            try {
                if (Multipart.isMultipart(contentType)) {
                    parts = List.copyOf(Multipart.parse(contentType, body));
                    for (Part p : parts) {
                        if ("payload_json".equals(p.name())) {
                            json = JsonParser.parseString(p.text());
                        }
                    }
                } else if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
                        && body.length > 0) {
                    json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
                }
            } catch (RuntimeException e) {
                jsonError = e.getMessage();
            }

            Route route = null;
            Map<String, String> params = Map.of();
            for (Route r : routes) {
                Map<String, String> matched = match(r, method, path);
                if (matched != null) {
                    route = r;
                    params = matched;
                    break;
                }
            }
            String template = route == null ? "unknown" : route.method() + " " + route.template();
            RecordedRequest draft = new RecordedRequest(-1, at, method, path, query, headers, authorized, body, parts,
                    json, template, 0);

            Duration delay = Duration.ZERO;
            RouteRule.Fault fault = null;
            boolean faultAfterHandling = false;
            for (RouteRule rule : rules) {
                if (rule.matches(draft) && (fault == null || !rule.hasFault()) && rule.consume()) {
                    delay = delay.plus(rule.delayValue());
                    if (rule.hasFault()) {
                        fault = rule.fault();
                        faultAfterHandling = rule.failsAfterHandling();
                    }
                }
            }

            Reply reply;
            if (fault != null && !faultAfterHandling) {
                reply = faultReply(fault);
            } else if (route == null) {
                reply = Reply.error(404, 0, "404: Not Found");
            } else if (route.needsAuth() && !authorized) {
                reply = Reply.error(401, 0, "401: Unauthorized");
            } else if (jsonError != null) {
                reply = Reply.error(400, 50109, "The request body contains invalid JSON.");
            } else {
                JsonObject payload = json != null && json.isJsonObject() ? json.getAsJsonObject() : new JsonObject();
                try {
                    reply = route.handler().handle(new Call(draft, params, payload));
                } catch (DiscordError e) {
                    reply = Reply.error(e.status, e.code, e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("fake Discord handler failed on {} {}", method, path, e);
                    reply = Reply.error(500, 0, "fake handler failed: " + e);
                }
                if (fault != null) {
                    reply = faultReply(fault);
                }
            }
            int status = reply.status();
            String finalTemplate = template;
            List<Part> finalParts = parts;
            JsonElement finalJson = json;
            boolean finalAuthorized = authorized;
            RecordedRequest recorded = requests.addNumbered(seq -> new RecordedRequest(seq, at, method, path, query,
                    headers, finalAuthorized, body, finalParts, finalJson, finalTemplate, status));
            LOG.debug("fake Discord {}", recorded);

            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            send(exchange, reply, template, fault);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("fake Discord could not answer a request", e);
        }
    }

    private static Map<String, String> match(Route route, String method, String path) {
        if (!route.method().equals(method)) {
            return null;
        }
        String[] have = path.replaceAll("^/+", "").split("/", -1);
        if (have.length != route.segments().length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < have.length; i++) {
            String want = route.segments()[i];
            if (want.startsWith("{") && want.endsWith("}")) {
                params.put(want.substring(1, want.length() - 1), have[i]);
            } else if (!want.equals(have[i])) {
                return null;
            }
        }
        return params;
    }

    private static Reply faultReply(RouteRule.Fault fault) {
        if (fault.status() != 429) {
            return Reply.error(fault.status(), fault.code(), fault.message());
        }
        JsonObject body = new JsonObject();
        double seconds = fault.retryAfter().toMillis() / 1000.0;
        body.addProperty("message", fault.message());
        body.addProperty("retry_after", seconds);
        body.addProperty("global", fault.global());
        return Reply.json(429, body);
    }

    private void send(HttpExchange exchange, Reply reply, String template, RouteRule.Fault fault) throws IOException {
        var out = exchange.getResponseHeaders();
        long nowMs = System.currentTimeMillis();
        // Discord answers every API request through Google's load balancer; JDA takes a 429 without "Via"
        // for a Cloudflare ban of all routes.
        out.set("Via", "1.1 google");
        out.set("X-RateLimit-Bucket", Integer.toHexString(template.hashCode()));
        out.set("X-RateLimit-Limit", "5");
        if (fault != null && fault.status() == 429) {
            double seconds = fault.retryAfter().toMillis() / 1000.0;
            out.set("Retry-After", Long.toString((long) Math.ceil(seconds)));
            out.set("X-RateLimit-Remaining", "0");
            out.set("X-RateLimit-Reset-After", String.format(Locale.ROOT, "%.3f", seconds));
            out.set("X-RateLimit-Reset", String.format(Locale.ROOT, "%.3f", (nowMs / 1000.0) + seconds));
            out.set("X-RateLimit-Scope", fault.global() ? "global" : "user");
            if (fault.global()) {
                out.set("X-RateLimit-Global", "true");
            }
        } else {
            out.set("X-RateLimit-Remaining", "4");
            out.set("X-RateLimit-Reset-After", "1.000");
            out.set("X-RateLimit-Reset", String.format(Locale.ROOT, "%.3f", (nowMs / 1000.0) + 1));
        }
        reply.headers().forEach(out::set);
        if (reply.contentType() != null) {
            out.set("Content-Type", reply.contentType());
        }
        if (reply.status() == 204 || reply.body().length == 0) {
            exchange.sendResponseHeaders(reply.status(), -1);
        } else {
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(reply.body());
            }
        }
    }

    private static String decodePath(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        List<String> decoded = new ArrayList<>();
        for (String s : segments) {
            decoded.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return String.join("/", decoded);
    }

    private static Map<String, List<String>> decodeQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        query.replaceAll((k, v) -> List.copyOf(v));
        return query;
    }
}
