package io.omicsbatch.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment artifact itself, not the classes: the minimized, operation-pruned shaded jar must construct every
 * handler, prime every client and log, on a fresh JVM, without a missing class and without a network call (every
 * client is pointed at a local endpoint that counts connections). Runs at integration-test, after the jar is built.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of("target/omics-batch-functions.jar");

    @Test
    void everyHandlerStartsPrimesAndLogsFromTheShadedJarWithoutANetworkCall() throws Exception {
        assertThat(JAR).isRegularFile();
        List<String> handlers = ShadedJarCheck.handlerClasses(JAR.toString());
        assertThat(handlers).hasSizeGreaterThanOrEqualTo(5);

        try (ConnectionRecorder endpoint = new ConnectionRecorder()) {
            ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", JAR + File.pathSeparator + "target/test-classes",
                    ShadedJarCheck.class.getName(), JAR.toString()).redirectErrorStream(true);
            Map<String, String> env = java.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_"));
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ENDPOINT_URL", endpoint.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "AKIDCHECK");
            env.put("AWS_SECRET_ACCESS_KEY", "check");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("RUN_QUEUE_URL", endpoint.endpoint() + "/000000000000/runs");
            env.put("INTAKE_QUEUE_URL", endpoint.endpoint() + "/000000000000/intake");
            env.put("STACK_PARTITION", "aws");
            env.put("STACK_ACCOUNT_ID", "123456789012");
            env.put("OMICS_ROLE_ARNS", "arn:aws:iam::123456789012:role/OmicsWorkflowRole");
            env.put("AWS_LAMBDA_FUNCTION_NAME", "shaded-jar-check"); // Powertools writes EMF to stdout only in Lambda
            Process process = java.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "NoSuchMethodError",
                    "VerifyError", "ERROR");
            for (String handler : handlers) {
                assertThat(output).contains("constructed " + handler.substring(handler.lastIndexOf('.') + 1));
            }
            Matcher primed = Pattern.compile("check: primed (\\d+) of (\\d+)").matcher(output);
            int primings = 0;
            while (primed.find()) {
                primings++;
                assertThat(primed.group(1)).as(output).isEqualTo(primed.group(2)).isNotEqualTo("0");
            }
            assertThat(primings).as(output).isEqualTo(handlers.size());
            // The status function's warning, through Powertools and log4j's JSON template layout.
            assertThat(output).contains("invoked StatusHandler: IGNORED");
            // The whole line, field by field in Powertools' order: the pruned log4j plugin cache (PruneLog4jPlugins)
            // must leave the JSON exactly as Powertools' layout writes it.
            assertThat(output).containsPattern(Pattern.quote("{\"level\":\"WARN\",\"message\":\"event check (aws.omics / "
                    + "Run Status Change) names no run; ignored\",\"cold_start\":false,\"function_arn\":\"arn:aws:lambda:"
                    + "us-east-1:000000000000:function:check\",\"function_memory_size\":1024,\"function_name\":\"check\","
                    + "\"function_request_id\":\"check\",\"function_version\":\"1\",\"service\":\"service_undefined\","
                    + "\"timestamp\":\"") + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\"}\n");
            assertThat(output).as("EMF written from the shaded jar").contains("\"StartRunThrottled\"", "\"BatchTransitions\"",
                    "\"Namespace\":\"OmicsBatch\"");
            assertThat(endpoint.connections()).as(output).isZero();
        }
    }
}
