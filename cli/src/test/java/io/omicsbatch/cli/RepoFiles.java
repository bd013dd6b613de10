package io.omicsbatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository from a module's working directory. */
final class RepoFiles {

    private RepoFiles() {}

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("events")) && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("shared"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("not inside the omics-batch repository");
    }

    static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
