package io.omicsbatch.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Repository files and deadline-bounded waiting for the local-mode tests (no fixed sleeps). */
public final class TestSupport {

    private static final Duration POLL = Duration.ofMillis(10);

    private TestSupport() {}

    /** A file of the repository, found from the module's working directory. */
    public static String repoFile(String relative) {
        try {
            return Files.readString(repoPath(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path of a file of the repository. */
    public static Path repoPath(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("events")) && Files.isDirectory(dir.resolve("shared"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve(relative);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("not inside the omics-batch repository");
    }

    /** Polls {@code condition} until it holds; fails with {@code what} when {@code timeout} passes first. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        awaitValue(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Polls {@code probe} until it yields a value, which is returned; fails when {@code timeout} passes first. */
    public static <T> T awaitValue(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
