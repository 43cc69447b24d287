package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonObject;
import java.time.Instant;

/**
 * One gateway frame in either direction.
 *
 * @param seq        position in the fake's frame log
 * @param at         when it was sent or received
 * @param direction  {@link Direction#TO_CLIENT} (the fake sent it) or {@link Direction#FROM_CLIENT}
 * @param connection the connection's number (1, 2, … in order of connection)
 * @param shard      the shard id the connection identified as (0 without a shard), -1 before IDENTIFY
 * @param op         the gateway opcode
 * @param type       the dispatch type ({@code t}) for op 0, else null
 * @param json       the whole payload
 */
public record RecordedFrame(long seq, Instant at, Direction direction, int connection, int shard, int op, String type,
        JsonObject json) {

    /** The gateway opcode of IDENTIFY (op 2). */
    public static final int IDENTIFY = 2;

    /** Who sent a frame. */
    public enum Direction { TO_CLIENT, FROM_CLIENT }

    /** Whether this is a dispatch (op 0) of the given type sent to the client. */
    public boolean isDispatch(String t) {
        return direction == Direction.TO_CLIENT && op == 0 && t.equals(type);
    }

    /** Whether the client sent this opcode. */
    public boolean fromClient(int opcode) {
        return direction == Direction.FROM_CLIENT && op == opcode;
    }

    /** The {@code d} field as an object, or null. */
    public JsonObject data() {
        return json.has("d") && json.get("d").isJsonObject() ? json.getAsJsonObject("d") : null;
    }

    @Override
    public String toString() {
        String s = json.toString();
        return "#" + seq + " " + (direction == Direction.TO_CLIENT ? "->" : "<-") + " conn " + connection + " shard "
                + shard + " op " + op + (type == null ? "" : " " + type) + " "
                + (s.length() > 200 ? s.substring(0, 200) + "…" : s);
    }
}
