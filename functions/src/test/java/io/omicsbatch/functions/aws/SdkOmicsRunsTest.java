package io.omicsbatch.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import io.omicsbatch.settings.RunRequest;
import io.omicsbatch.settings.RunRequestMerger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.omics.model.StartRunRequest;

/** The mapping from a merged StartRun body to the SDK's request; the wire body itself is tested against the simulator. */
class SdkOmicsRunsTest {

    private static ObjectNode body() throws Exception {
        String document = Files.readString(Path.of("../events/batch-settings.json"));
        BatchSettings settings = new BatchSettingsValidator().validateDocument(document).settings();
        RunRequest request = new RunRequestMerger("0123456789abcdef0123", settings.defaultRunSetting())
                .merge(settings.batchRunSettings().inlineSettings().get(0));
        ObjectNode body = request.toStartRunBody();
        body.put("networkingMode", "VPC");
        body.put("configurationName", "lab-vpc");
        body.putObject("engineSettings").put("profile", "highmem");
        body.put("scratchStorageMode", "SHARED");
        return body;
    }

    @Test
    void everyMemberTheSdkModelsIsSetFromTheBody() throws Exception {
        ObjectNode body = body();
        StartRunRequest request = SdkOmicsRuns.toRequest(body);
        Set<String> sdkMembers = new HashSet<>();
        for (SdkField<?> field : request.sdkFields()) {
            sdkMembers.add(field.locationName());
            if (body.has(field.locationName()) && !field.locationName().equals("parameters") && !field.locationName().equals("tags")) {
                assertThat(String.valueOf(field.getValueOrDefault(request))).as(field.locationName())
                        .isEqualTo(body.get(field.locationName()).asText());
            }
        }
        assertThat(request.parameters().asMap()).containsOnlyKeys("ref_fasta", "sample_id", "fastq_r1", "fastq_r2");
        assertThat(request.tags()).containsEntry("omics-batch:runSettingId", "NA12878");
        // The members the SDK lacks are exactly those carried for the interceptor.
        for (String member : RunRequest.MEMBERS_MISSING_FROM_SDK) {
            assertThat(sdkMembers).doesNotContain(member);
        }
        ObjectNode carried = request.overrideConfiguration().orElseThrow().executionAttributes()
                .getAttribute(UnmodeledMembersInterceptor.MEMBERS);
        assertThat(carried.get("engineSettings").get("profile").asText()).isEqualTo("highmem");
        assertThat(carried.get("networkingMode").asText()).isEqualTo("VPC");
        assertThat(carried.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(RunRequest.MEMBERS_MISSING_FROM_SDK);
    }

    @Test
    void aBodyWithoutUnmodeledMembersNeedsNoInterceptor() throws Exception {
        ObjectNode body = body();
        RunRequest.MEMBERS_MISSING_FROM_SDK.forEach(body::remove);
        assertThat(SdkOmicsRuns.toRequest(body).overrideConfiguration()).isEmpty();
    }
}
