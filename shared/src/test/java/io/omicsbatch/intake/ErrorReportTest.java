package io.omicsbatch.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.settings.ErrorListing;
import io.omicsbatch.settings.Rule;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.ValidationError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The error report and the record's errors stay bounded whatever the number and size of the errors. */
class ErrorReportTest {

    /** 40,000 characters of 3 UTF-8 bytes each, ending in an unpaired surrogate. */
    private static final String HUGE = "名".repeat(40_000) + "\uD800";

    private static ValidationError huge(int i) {
        return new ValidationError("/defaultRunSetting/" + HUGE + i, Rule.UNKNOWN_MEMBER, "unknown member \"" + HUGE + i + "\"");
    }

    @Test
    void theReportListsTheFirstErrorsBoundedAndCountsEveryOne() throws Exception {
        ErrorReport report = new ErrorReport();
        int total = 300_000;
        for (int i = 0; i < total; i++) {
            report.add(i % 1000 == 0 ? huge(i) : new ValidationError("/runs/" + i + "/priority", Rule.RANGE, "must be between 0 and 100000"));
        }
        byte[] json = report.toJson("0123456789abcdef0123", "s3://bucket/batches/b.json");
        assertThat((long) json.length).as("bytes of the report").isLessThan(ErrorListing.MAX_LISTED
                * 3L * (ErrorListing.MAX_POINTER_CHARS + ErrorListing.MAX_MESSAGE_CHARS + 100));

        JsonNode node = SettingsJson.MAPPER.readTree(json);
        assertThat(node.get("batchId").asText()).isEqualTo("0123456789abcdef0123");
        assertThat(node.get("source").asText()).isEqualTo("s3://bucket/batches/b.json");
        assertThat(node.get("errorCount").asLong()).isEqualTo(total);
        assertThat(node.get("errorsNotListed").asLong()).isEqualTo(total - ErrorListing.MAX_LISTED);
        assertThat(node.get("errors")).hasSize(ErrorListing.MAX_LISTED);
        JsonNode first = node.get("errors").get(0);
        assertThat(first.get("pointer").asText()).hasSize(ErrorListing.MAX_POINTER_CHARS).endsWith(ValidationError.CUT)
                .startsWith("/defaultRunSetting/名名");
        assertThat(first.get("message").asText()).hasSize(ErrorListing.MAX_MESSAGE_CHARS);
        assertThat(first.get("rule").asText()).isEqualTo("unknown-member");
        assertThat(node.get("errors").get(999).get("pointer").asText()).isEqualTo("/runs/999/priority");
        assertThat(report.count()).isEqualTo(total);
    }

    @Test
    void theRecordKeepsAFewErrorsWithinAFractionOfAnItem() {
        ErrorReport report = new ErrorReport();
        for (int i = 0; i < 150; i++) {
            report.add(huge(i));
        }
        List<ValidationError> onRecord = report.first(100);
        long bytes = onRecord.stream().mapToLong(e -> (e.pointer() + e.rule().id() + e.message()).getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(bytes).isLessThanOrEqualTo(ErrorReport.RECORD_ERRORS_BYTES);
        assertThat(onRecord).isNotEmpty().hasSizeLessThan(100).allSatisfy(e -> {
            assertThat(e.pointer()).hasSizeLessThanOrEqualTo(ErrorReport.RECORD_POINTER_CHARS);
            assertThat(e.message()).hasSizeLessThanOrEqualTo(ErrorReport.RECORD_MESSAGE_CHARS);
        });
        assertThat(report.first(3)).hasSize(3);
    }

    @Test
    void unpairedSurrogatesAreShownAsReplacementCharacters() throws Exception {
        ErrorReport report = new ErrorReport();
        report.add(new ValidationError("/tags/a\uDC00b", Rule.ENCODING, "contains \uD800 here; \uD83E\uDDEC stays"));
        assertThat(report.first(1)).singleElement().satisfies(e -> {
            assertThat(e.pointer()).isEqualTo("/tags/a\uFFFDb");
            assertThat(e.message()).isEqualTo("contains \uFFFD here; \uD83E\uDDEC stays");
        });
        JsonNode error = SettingsJson.MAPPER.readTree(report.toJson("b", "s")).get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/tags/a\uFFFDb");
    }
}
