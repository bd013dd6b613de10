package io.omicsbatch.local.standins;

import java.net.URI;

/** The only address the stand-ins listen on. */
public final class Loopback {

    /** A literal, not "localhost": no name resolution, and never IPv6 or another interface by accident. */
    public static final String HOST = "127.0.0.1";

    private Loopback() {}

    public static URI httpUri(int port) {
        if (port <= 0) {
            throw new IllegalStateException("server is not listening (port " + port + ")");
        }
        return URI.create("http://" + HOST + ":" + port);
    }
}
