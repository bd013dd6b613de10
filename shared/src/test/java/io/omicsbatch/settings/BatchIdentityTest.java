package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.model.OmicsModel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchIdentityTest {

    @Test
    void theBatchIdIsStableForOneObjectVersion() {
        String first = BatchIdentity.batchIdForObject("settings", "batches/a.json", null, "\"9b2cf535f27731c974343645a3985328\"");
        String again = BatchIdentity.batchIdForObject("settings", "batches/a.json", null, "9b2cf535f27731c974343645a3985328");
        assertThat(first).isEqualTo(again).hasSize(BatchIdentity.BATCH_ID_LENGTH).matches("[0-9a-f]+");
    }

    @Test
    void aNewVersionKeyOrBucketIsANewBatch() {
        Set<String> ids = new HashSet<>();
        ids.add(BatchIdentity.batchIdForObject("settings", "batches/a.json", "v1", "e"));
        ids.add(BatchIdentity.batchIdForObject("settings", "batches/a.json", "v2", "e"));
        ids.add(BatchIdentity.batchIdForObject("settings", "batches/b.json", "v1", "e"));
        ids.add(BatchIdentity.batchIdForObject("other", "batches/a.json", "v1", "e"));
        assertThat(ids).hasSize(4);
    }

    @Test
    void theVersionIdWinsOverTheETagAndNullVersionMeansUnversioned() {
        assertThat(BatchIdentity.batchIdForObject("b", "k", "v1", "e1")).isEqualTo(BatchIdentity.batchIdForObject("b", "k", "v1", "e2"));
        assertThat(BatchIdentity.batchIdForObject("b", "k", "null", "e1")).isEqualTo(BatchIdentity.batchIdForObject("b", "k", null, "e1"));
        assertThatThrownBy(() -> BatchIdentity.batchIdForObject("b", "k", null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestIdIdentifiesTheBatchWhereverTheDocumentLies() {
        assertThat(BatchIdentity.batchId("cohort-7-2026-11", "b", "k1", "v1", "e"))
                .isEqualTo(BatchIdentity.batchId("cohort-7-2026-11", "b2", "k2", "v9", "f"))
                .isEqualTo(BatchIdentity.batchIdForRequestId("cohort-7-2026-11"))
                .isNotEqualTo(BatchIdentity.batchId(null, "b", "k1", "v1", "e"));
    }

    @Test
    void runRequestIdsAreStableDistinctAndWithinTheModel() {
        var member = OmicsModel.get().shape("StartRunRequest").member("requestId").orElseThrow();
        String batchA = BatchIdentity.batchIdForRequestId("a");
        String batchB = BatchIdentity.batchIdForRequestId("b");
        String longId = "x".repeat(128);
        Set<String> ids = new HashSet<>();
        for (String runSettingId : new String[] {"NA12878", "HG00096", longId, "é ü/:*"}) {
            String a = BatchIdentity.runRequestId(batchA, runSettingId);
            assertThat(a).isEqualTo(BatchIdentity.runRequestId(batchA, runSettingId));
            assertThat(a.length()).isBetween(member.min().intValue(), member.max().intValue());
            assertThat(a).matches(member.pattern()).startsWith("ob-" + batchA + "-");
            ids.add(a);
            ids.add(BatchIdentity.runRequestId(batchB, runSettingId));
        }
        assertThat(ids).hasSize(8);
    }
}
