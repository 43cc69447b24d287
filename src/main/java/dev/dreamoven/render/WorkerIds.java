package dev.dreamoven.render;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/** Names of workers and bots in the rows they hold ({@code jobs.worker}, {@code jobs.deliverer}): host, process, a random tag. */
final class WorkerIds {

    private WorkerIds() {
    }

    static String next() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
    }
}
