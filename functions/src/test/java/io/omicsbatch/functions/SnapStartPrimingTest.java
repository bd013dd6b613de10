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
