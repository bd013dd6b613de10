package io.omicsbatch.resources;

/**
 * The JVM options every function runs with, in one place: the CDK stack sets them as the functions'
 * {@value #VARIABLE}, and {@code bench/handler-start} (which reads {@link #OPTIONS} from this file) measures the
 * handlers' construction with them.
 *
 * <p>C1 only ({@code TieredStopAtLevel=1}), as AWS recommends for Lambda's short-lived JVMs: the C2 compiler's
 * threads compete with the function's start for its CPU, and the functions spend their time waiting on AWS calls,
 * not computing. Lambda's java17 and java21 runtimes set the same by default (and the serial collector); setting them
 * here keeps the stack and the benchmark in step whatever a runtime's default becomes.
 */
public final class FunctionJvm {

    /** The environment variable the JVM reads options from, before its command line. */
    public static final String VARIABLE = "JAVA_TOOL_OPTIONS";
    public static final String OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private FunctionJvm() {}
}
