package io.omicsbatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.settings.SettingsJson;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The local runner's discovery document, read as the deployment the operator commands use. */
class DeploymentTest {

    private static final URI URL = URI.create("http://127.0.0.1:4566/");

    @Test
    void aDiscoveryDocumentNamesEachServiceAndTheStacksOutputs() throws Exception {
        Deployment deployment = Deployment.fromDiscovery(SettingsJson.MAPPER.readTree("""
                {"format": "omics-batch-local-endpoints/1", "region": "us-east-1", "partition": "aws",
                 "endpoints": {"dynamodb": "http://127.0.0.1:1001", "s3": "http://127.0.0.1:1002"},
                 "outputs": {"SettingsBucketName": "bucket", "BatchesTableName": "batches", "RunsTableName": "runs"},
                 "credentials": {"accessKeyId": "local", "secretAccessKey": "localsecret"}}"""), URL);

        assertThat(deployment.isLocal()).isTrue();
        assertThat(deployment.endpoint(Deployment.DYNAMODB)).isEqualTo(URI.create("http://127.0.0.1:1001"));
        assertThat(deployment.endpoint(Deployment.S3)).isEqualTo(URI.create("http://127.0.0.1:1002"));
        assertThat(deployment.settingsBucket()).isEqualTo("bucket");
        assertThat(deployment.batchesTable()).isEqualTo("batches");
        assertThat(deployment.runsTable()).isEqualTo("runs");
        assertThat(deployment.region().id()).isEqualTo("us-east-1");
        assertThat(deployment.credentials().resolveCredentials().accessKeyId()).isEqualTo("local");
        assertThatThrownBy(() -> deployment.endpoint("sqs")).hasMessageContaining("no sqs endpoint");
    }

    @Test
    void anotherDocumentIsRefusedWithTheUrl() throws Exception {
        assertThatThrownBy(() -> Deployment.fromDiscovery(SettingsJson.MAPPER.readTree("{\"TableNames\": []}"), URL))
                .hasMessageContaining("http://127.0.0.1:4566/ is not a local runner's endpoint-url");
    }

    @Test
    void anEndpointUrlWithNothingBehindItIsAClearError() {
        assertThatThrownBy(() -> Deployment.ofLocalRunner(URI.create("http://127.0.0.1:1/")))
                .hasMessageContaining("cannot read the local runner's endpoints at http://127.0.0.1:1/");
    }
}
