package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.model.OmicsModel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunRequestMergerTest {

    private static final String FULL_DOCUMENT = """
            {
              "batchName": "wgs-cohort-7",
              "defaultRunSetting": {
                "workflowId": "1234567", "workflowType": "PRIVATE",
                "roleArn": "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole",
                "name": "wgs", "cacheId": "555", "cacheBehavior": "CACHE_ON_FAILURE", "runGroupId": "777",
                "priority": 10, "parameters": {"ref_fasta": "s3://refs/GRCh38.fasta", "sample_id": "default"},
                "storageCapacity": 1200, "outputUri": "s3://lab-results/wgs/", "logLevel": "ERROR",
                "runTags": {"project": "cohort-7", "sample": "default"},
                "retentionMode": "REMOVE", "storageType": "STATIC", "workflowOwnerId": "210987654321",
                "outputBucketOwnerId": "123456789012", "workflowVersionName": "v2.1",
                "networkingMode": "VPC", "configurationName": "lab-vpc",
                "engineSettings": {"profile": "default"}, "scratchStorageMode": "SHARED"
              },
              "batchRunSettings": {"inlineSettings": [
                {"runSettingId": "NA12878", "name": "wgs-NA12878", "outputUri": "s3://lab-results/wgs/NA12878/",
                 "priority": 1, "parameters": {"sample_id": "NA12878", "fastq_r1": "s3://in/NA12878_R1.fq.gz"},
                 "outputBucketOwnerId": "111122223333", "runTags": {"sample": "NA12878"},
                 "engineSettings": {"profile": "highmem"}},
                {"runSettingId": "HG00096"}
              ]}
            }
            """;

    private final BatchSettings settings = new BatchSettingsValidator().validateDocument(FULL_DOCUMENT).settings();
    private final RunRequestMerger merger = new RunRequestMerger("0123456789abcdef0123", settings.defaultRunSetting());

    @Test
    void theDocumentCarriesAllTwentyTwoDefaultMembers() {
        Set<String> given = new HashSet<>();
        SettingsJson.MAPPER.valueToTree(settings.defaultRunSetting()).fieldNames().forEachRemaining(given::add);
        assertThat(given).isEqualTo(OmicsModel.get().shape("DefaultRunSetting").members().keySet()).hasSize(22);
    }

    @Test
    void theRunOverridesAndShallowMerges() {
        RunRequest run = merger.merge(settings.batchRunSettings().inlineSettings().get(0));
        assertThat(run.name()).isEqualTo("wgs-NA12878");
        assertThat(run.outputUri()).isEqualTo("s3://lab-results/wgs/NA12878/");
        assertThat(run.priority()).isEqualTo(1);
        assertThat(run.engineSettings().toString()).isEqualTo("{\"profile\":\"highmem\"}");
        assertThat(run.outputBucketOwnerId()).isEqualTo("111122223333");
        assertThat(run.parameters().toString()).isEqualTo(
                "{\"ref_fasta\":\"s3://refs/GRCh38.fasta\",\"sample_id\":\"NA12878\",\"fastq_r1\":\"s3://in/NA12878_R1.fq.gz\"}");
        assertThat(run.tags()).containsExactly(
                java.util.Map.entry("project", "cohort-7"), java.util.Map.entry("sample", "NA12878"),
                java.util.Map.entry(TrackingTags.BATCH_ID, "0123456789abcdef0123"),
                java.util.Map.entry(TrackingTags.RUN_SETTING_ID, "NA12878"));
    }

    @Test
    void aRunWithoutOverridesInheritsEveryDefault() {
        RunRequest run = merger.merge(settings.batchRunSettings().inlineSettings().get(1));
        assertThat(run.name()).isEqualTo("wgs");
        assertThat(run.outputUri()).isEqualTo("s3://lab-results/wgs/");
        assertThat(run.priority()).isEqualTo(10);
        assertThat(run.parameters()).isEqualTo(settings.defaultRunSetting().parameters());
        assertThat(run.parameters()).isNotSameAs(settings.defaultRunSetting().parameters());
        assertThat(run.outputBucketOwnerId()).isEqualTo("123456789012");
        assertThat(run.tags()).containsEntry("sample", "default").containsEntry(TrackingTags.RUN_SETTING_ID, "HG00096");
    }

    @Test
    void theWireBodyHasEveryStartRunMemberTheSettingsGaveAndNothingElse() {
        JsonNode body = merger.merge(settings.batchRunSettings().inlineSettings().get(0)).toStartRunBody();
        Set<String> members = new HashSet<>();
        body.fieldNames().forEachRemaining(members::add);
        Set<String> expected = new HashSet<>(OmicsModel.get().shape("StartRunRequest").members().keySet());
        expected.remove("runId"); // never in a batch
        assertThat(members).isEqualTo(expected);
        assertThat(body.has("outputBucketOwnerId")).isFalse();
        assertThat(body.get("requestId").asText()).isEqualTo(BatchIdentity.runRequestId("0123456789abcdef0123", "NA12878"));
        for (String missing : RunRequest.MEMBERS_MISSING_FROM_SDK) {
            assertThat(body.has(missing)).as(missing).isTrue();
        }
        assertThat(body.get("engineSettings").get("profile").asText()).isEqualTo("highmem");
        assertThat(body.get("networkingMode").asText()).isEqualTo("VPC");
    }

    @Test
    void theMergedRequestPassesTheModelsStartRunConstraints() {
        RunRequest run = merger.merge(settings.batchRunSettings().inlineSettings().get(0));
        ValidationErrors errors = new ValidationErrors();
        var shape = OmicsModel.get().shape("StartRunRequest");
        ModelConstraints.checkStructure(run.toStartRunBody(), "", shape, shape.required(), java.util.Map.of(), errors);
        assertThat(errors.list()).isEmpty();
    }
}
