package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One REST request as the fake received it, with the status it answered.
 *
 * @param seq       position in the fake's request log (0, 1, …)
 * @param at        when it arrived
 * @param method    HTTP method
 * @param path      the path below the API base, percent-decoded per segment ({@code /webhooks/1/tok/messages/@original})
 * @param query     the decoded query parameters ({@code wait=true})
 * @param headers   request headers with lower-case names; the value of {@code authorization} is never kept
 * @param authorized whether the request carried {@code Authorization: Bot <the fake's token>}
 * @param body      the raw body (empty when none)
 * @param parts     the multipart parts in order (empty unless multipart/form-data)
 * @param json      the JSON payload: the body, or the {@code payload_json} part; null when neither
 * @param route     the route template the fake matched ({@code "PATCH /webhooks/{app}/{token}/messages/{message}"}),
 *                  or {@code "unknown"}
 * @param status    the status the fake answered (a scripted fault included)
 */
public record RecordedRequest(long seq, Instant at, String method, String path, Map<String, List<String>> query,
        Map<String, List<String>> headers, boolean authorized, byte[] body, List<Part> parts, JsonElement json,
        String route, int status) {

    /** Whether this is {@code method} on a path matching {@code pattern}; {@code *} stands for one segment. */
    public boolean is(String method, String pattern) {
        return this.method.equalsIgnoreCase(method) && pathMatches(pattern);
    }

    /** Whether the path matches {@code pattern}: segments separated by '/', {@code *} matches any one segment. */
    public boolean pathMatches(String pattern) {
        String[] want = pattern.replaceAll("^/+", "").split("/", -1);
        String[] have = path.replaceAll("^/+", "").split("/", -1);
        if (want.length != have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!want[i].equals("*") && !want[i].equals(have[i])) {
                return false;
            }
        }
        return true;
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The JSON payload as an object; an {@link AssertionError} when there is none or it is not an object. */
    public JsonObject jsonObject() {
        if (json == null || !json.isJsonObject()) {
            throw new AssertionError("no JSON object in " + this);
        }
        return json.getAsJsonObject();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The uploaded files ({@code files[n]} parts) in order. */
    public List<Part> files() {
        return parts.stream().filter(Part::isFile).toList();
    }

    /** Whether the request was multipart/form-data. */
    public boolean isMultipart() {
        return !parts.isEmpty();
    }

    /** Whether the answer was a 2xx. */
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** A path segment by index (0 is the first after the API base). */
    public String segment(int index) {
        return path.replaceAll("^/+", "").split("/", -1)[index];
    }

    @Override
    public String toString() {
        String q = query.isEmpty() ? "" : "?" + query;
        String payload = json != null ? " " + abbreviate(json.toString())
                : body.length > 0 ? " [" + body.length + " B]" : "";
        String files = files().isEmpty() ? "" : " files=" + files();
        return "#" + seq + " " + method + " " + path + q + " -> " + status + payload + files;
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
