package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonObject;

/** A file attached to a message, with its bytes; PNG width and height are read from the header. */
public record FakeAttachment(long id, String filename, String contentType, byte[] bytes) {

    /** The PNG width, or -1 when the bytes are not a PNG. */
    public int width() {
        return isPng() ? readInt(16) : -1;
    }

    /** The PNG height, or -1 when the bytes are not a PNG. */
    public int height() {
        return isPng() ? readInt(20) : -1;
    }

    /** Whether the bytes start with the PNG signature and an IHDR chunk. */
    public boolean isPng() {
        return bytes.length >= 24 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'
                && bytes[12] == 'I' && bytes[13] == 'H' && bytes[14] == 'D' && bytes[15] == 'R';
    }

    private int readInt(int at) {
        return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                | (bytes[at + 3] & 0xFF);
    }

    JsonObject toJson(String baseUrl, long channelId) {
        JsonObject json = new JsonObject();
        String url = baseUrl + "attachments/" + channelId + "/" + id + "/" + filename;
        json.addProperty("id", Long.toString(id));
        json.addProperty("filename", filename);
        json.addProperty("size", bytes.length);
        json.addProperty("url", url);
        json.addProperty("proxy_url", url);
        if (contentType != null) {
            json.addProperty("content_type", contentType);
        }
        if (isPng()) {
            json.addProperty("width", width());
            json.addProperty("height", height());
        }
        return json;
    }

    @Override
    public String toString() {
        return filename + "[" + bytes.length + " B]";
    }
}
