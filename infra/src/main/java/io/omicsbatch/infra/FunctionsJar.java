package io.omicsbatch.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the functions' shaded jar is: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENV}, or {@value #RELATIVE} under the first directory from the working directory upwards that
 * has it (the repository root, whether the app runs from the root as {@code cdk.json} does or from
 * {@code infra/} as the tests do).
 */
public final class FunctionsJar {

    public static final String PROPERTY = "omicsbatch.functionsJar";
    public static final String ENV = "OMICS_BATCH_FUNCTIONS_JAR";
    public static final String RELATIVE = "functions/target/omics-batch-functions.jar";

    private FunctionsJar() {}

    public static Path locate() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the functions jar " + jar + " does not exist: build it with "
                        + "`mvn -B -pl functions -am package -DskipTests`");
            }
            return jar;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(RELATIVE);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException(RELATIVE + " not found from " + Path.of("").toAbsolutePath()
                + " upwards: build it with `mvn -B -pl functions -am package -DskipTests` from the repository root");
    }
}
