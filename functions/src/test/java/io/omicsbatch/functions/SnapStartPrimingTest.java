package io.omicsbatch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.functions.aws.AwsClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

class SnapStartPrimingTest {

    /** The function's credentials: counted, so the test sees whether priming asked for them. */
    private final AtomicInteger credentialLookups = new AtomicInteger();
    private final AwsCredentialsProvider credentials = () -> {
        credentialLookups.incrementAndGet();
        return AwsBasicCredentials.create("AKIDTEST", "secret");
    };

    @Test
    void theRegisteredHookPrimesEveryOperationOfEveryClientWithoutANetworkCall() throws Exception {
        try (ConnectionRecorder endpoint = new ConnectionRecorder()) {
            Components.Clients clients = Components.Clients.of(new AwsClients(Region.US_EAST_1, endpoint.endpoint(), credentials));
            RecordingContext context = new RecordingContext();

            SnapStartPriming priming = SnapStartPriming.register(clients, settings(), context);

            assertThat(context.registered).containsExactly(priming);
            assertThat(SnapStartPriming.registered()).contains(priming);
            // 6 DynamoDB, 3 SQS, 3 S3, StartRun, GetRun, GetWorkflow, PutEvents
            assertThat(priming.size()).isEqualTo(16);
            assertThat(priming.prime()).isEqualTo(16);
            context.registered.get(0).beforeCheckpoint(context);
            assertThat(endpoint.connections()).isZero();
            assertThat(credentialLookups).hasValue(0);

            // The clients are not changed by it: an ordinary request goes out, with the function's credentials.
            assertThatThrownBy(() -> clients.sqs().sendMessage(b -> b.queueUrl(endpoint.endpoint() + "/q").messageBody("{}")))
                    .isInstanceOf(SdkClientException.class);
            assertThat(endpoint.connections()).isPositive();
            assertThat(credentialLookups).hasPositiveValue();
        }
    }

    @Test
    void aFunctionWithoutSomeClientsPrimesTheOnesItHas() {
        Components.Clients clients = Components.Clients.of(new AwsClients(Region.US_EAST_1,
                java.net.URI.create("http://localhost:9"), credentials));
        Components.Clients dynamoOnly = new Components.Clients(clients.dynamo(), null, null, null, null, null);

        SnapStartPriming priming = SnapStartPriming.of(dynamoOnly, settings());

        assertThat(priming.size()).isEqualTo(6);
        assertThat(priming.prime()).isEqualTo(6);
        assertThat(credentialLookups).hasValue(0);
    }

    /**
     * A function builds the clients its handler's services use, in the handler's constructor, and no other; the batch
     * events' (EventBridge) and the completion reports' (S3) are built when first used instead, and the priming
     * registered for the function builds them then primes every client the services use (asking for no credentials,
     * making no connection).
     */
    @Test
    void eachHandlerBuildsOnlyTheClientsItsServicesUseAndItsPrimingPrimesThem() throws Exception {
        Map<String, java.util.function.Function<Components, Object>> handlers = new java.util.LinkedHashMap<>();
        handlers.put("intake", IntakeHandler::new);
        handlers.put("submit", SubmitHandler::new);
        handlers.put("status", StatusHandler::new);
        handlers.put("reconcile", ReconcileHandler::new);
        handlers.put("dead-letter", RunDeadLetterHandler::new);
        handlers.put("operations", OperationsHandler::new);
        Map<String, String> constructed = Map.of(
                "intake", "dynamo sqs s3 omicsReader",
                "submit", "dynamo sqs omicsStarter",
                "status", "dynamo omicsReader",
                "reconcile", "dynamo sqs omicsReader",
                "dead-letter", "dynamo",
                "operations", "dynamo sqs s3 omicsStarter omicsReader");
        Map<String, String> used = Map.of(
                "intake", "dynamo sqs s3 omicsReader eventBridge",
                "submit", "dynamo sqs s3 omicsStarter eventBridge",
                "status", "dynamo s3 omicsReader eventBridge",
                "reconcile", "dynamo sqs s3 omicsReader eventBridge",
                "dead-letter", "dynamo s3 eventBridge",
                "operations", "dynamo sqs s3 omicsStarter omicsReader eventBridge");
        Map<String, Integer> requestsPerClient = Map.of("dynamo", 6, "sqs", 3, "s3", 3, "omicsStarter", 1,
                "omicsReader", 2, "eventBridge", 1);
        try (ConnectionRecorder endpoint = new ConnectionRecorder()) {
            for (var handler : handlers.entrySet()) {
                OnDemandClients clients = new OnDemandClients(new AwsClients(Region.US_EAST_1, endpoint.endpoint(), credentials));
                RecordingContext context = new RecordingContext();
                Components components = Components.forFunction(deploymentSettings(), clients, context);
                assertThat(builtClients(clients.built())).as("before the handler").isEmpty();

                handler.getValue().apply(components);

                assertThat(String.join(" ", builtClients(clients.built()))).as(handler.getKey())
                        .isEqualTo(constructed.get(handler.getKey()));
                assertThat(context.registered).hasSize(1);
                SnapStartPriming priming = (SnapStartPriming) context.registered.get(0);
                int requests = java.util.Arrays.stream(used.get(handler.getKey()).split(" "))
                        .mapToInt(requestsPerClient::get).sum();
                assertThat(priming.size()).as(handler.getKey()).isEqualTo(requests);
                assertThat(priming.prime()).as(handler.getKey()).isEqualTo(requests);
                assertThat(String.join(" ", builtClients(clients.built()))).as("primed: " + handler.getKey())
                        .isEqualTo(used.get(handler.getKey()));
            }
            assertThat(endpoint.connections()).isZero();
            assertThat(credentialLookups).hasValue(0);
        }
    }

    private static List<String> builtClients(Components.Clients clients) {
        List<String> built = new ArrayList<>();
        for (var component : Components.Clients.class.getRecordComponents()) {
            try {
                if (component.getAccessor().invoke(clients) != null) {
                    built.add(component.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return built;
    }

    /** What the intake's pre-flight needs besides the defaults. */
    private static FunctionSettings deploymentSettings() {
        return FunctionSettings.from(Map.of("STACK_PARTITION", "aws", "STACK_ACCOUNT_ID", "123456789012",
                "OMICS_ROLE_ARNS", "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
                "RUN_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/runs",
                "INTAKE_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/intake"));
    }

    private static FunctionSettings settings() {
        return FunctionSettings.from(Map.of());
    }

    /** Stands in for the JVM's global context: records what is registered. */
    private static final class RecordingContext extends Context<Resource> {
        final List<Resource> registered = new ArrayList<>();

        @Override
        public void register(Resource resource) {
            registered.add(resource);
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {}

        @Override
        public void afterRestore(Context<? extends Resource> context) {}
    }
}
