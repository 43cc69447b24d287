package dev.dreamoven.bot;

import java.util.concurrent.Callable;

/** A file given with a command; {@code download} is slow and runs off the transport's thread. */
public record Attachment(String fileName, long size, Callable<byte[]> download) {
}
