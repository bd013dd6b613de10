package io.omicsbatch.settings;

/** RFC 6901 JSON pointer building. */
public final class Pointers {

    private Pointers() {}

    /** Appends one reference token, escaping {@code ~} and {@code /} as the RFC requires. */
    public static String child(String pointer, String token) {
        return pointer + "/" + token.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String pointer, long index) {
        return pointer + "/" + index;
    }
}
