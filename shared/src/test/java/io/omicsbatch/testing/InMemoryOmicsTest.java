package io.omicsbatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.OmicsRuns;
import io.omicsbatch.batch.RunDetails;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.settings.SettingsJson;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HealthOmics fake: idempotent StartRun, scripted errors, and runs a test moves through their lifecycle. */
class InMemoryOmicsTest {

    private final MutableClock clock = MutableClock.atStartOfDay();
    private final InMemoryOmics omics = new InMemoryOmics(clock);

    private static ObjectNode body(String requestId) {
        ObjectNode body = SettingsJson.MAPPER.createObjectNode();
        body.put("workflowId", "1234567");
        body.put("requestId", requestId);
        body.put("outputUri", "s3://out/cohort");
        body.putObject("tags").put("omics-batch:batchId", "b1");
        return body;
    }

    @Test
    void theSameRequestStartsOneRunAndAnotherRequestWithItsIdIsAConflict() {
        StartedRun first = omics.startRun(body("req-1"));
        StartedRun again = omics.startRun(body("req-1"));
        ObjectNode changed = body("req-1");
        changed.put("name", "different");

        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> omics.startRun(changed)).isInstanceOfSatisfying(OmicsRuns.StartRunException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(OmicsRuns.ErrorKind.CONFLICT);
                    assertThat(e.errorName()).isEqualTo("ConflictException");
                });
        assertThat(omics.runsCreated()).isEqualTo(1);
        assertThat(omics.startRunCalls()).extracting(InMemoryOmics.StartRunCall::outcome)
                .containsExactly("CREATED", "REPLAYED", "ConflictException");
    }

    @Test
    void runsAreDeterministicAndGetRunDescribesThemWithTheirTags() {
        StartedRun started = omics.startRun(body("req-1"));

        assertThat(started).isEqualTo(new InMemoryOmics(clock).startRun(body("req-1")));
        assertThat(started.arn()).isEqualTo(InMemoryOmics.ARN_PREFIX + started.runId());
        assertThat(started.status()).isEqualTo(RunStatus.PENDING);
        assertThat(started.runOutputUri()).isEqualTo("s3://out/cohort/" + started.runId());
        RunDetails details = omics.getRun(started.runId()).orElseThrow();
        assertThat(details.uuid()).isEqualTo(started.uuid());
        assertThat(details.tags()).isEqualTo(Map.of("omics-batch:batchId", "b1"));
    }

    @Test
    void aScriptedErrorStartsNothingUnlessScriptedAfterStarting() {
        omics.failNextStartRun(StartRunErrors.throttling());
        omics.failNextStartRunAfterStarting(StartRunErrors.requestTimeout());

        assertThatThrownBy(() -> omics.startRun(body("req-1"))).hasMessage("Rate exceeded");
        assertThat(omics.runsCreated()).isZero();
        assertThatThrownBy(() -> omics.startRun(body("req-1"))).hasMessage("The request timed out");
        assertThat(omics.runsCreated()).isEqualTo(1);
        assertThat(omics.startRun(body("req-1")).runId()).isEqualTo(omics.runForRequest("req-1").orElseThrow().id());
    }

    @Test
    void aRunMovesThroughItsLifecycleAsATestSays() {
        String runId = omics.startRun(body("req-1")).runId();
        clock.advance(Duration.ofMinutes(1));
        omics.advance(runId, RunStatus.RUNNING);
        clock.advance(Duration.ofHours(1));
        omics.fail(runId, "OUT_OF_MEMORY", "task ran out of memory");

        RunDetails failed = omics.getRun(runId).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo("OUT_OF_MEMORY");
        assertThat(Duration.between(failed.startTime(), failed.stopTime())).isEqualTo(Duration.ofHours(1));

        omics.reuseId(runId);
        assertThat(omics.getRun(runId).orElseThrow().uuid()).isNotEqualTo(failed.uuid());
        omics.delete(runId);
        assertThat(omics.getRun(runId)).isEmpty();
        assertThat(omics.getRunCalls()).containsExactly(runId, runId, runId);
    }

    @Test
    void aDeletedRunsIdGoesToTheNextRunStarted() {
        StartedRun first = omics.startRun(body("req-1"));
        omics.advance(first.runId(), RunStatus.COMPLETED);

        omics.deleteAndReuseId(first.runId());
        assertThat(omics.getRun(first.runId())).isEmpty();
        StartedRun second = omics.startRun(body("req-2"));
        StartedRun third = omics.startRun(body("req-3"));

        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(second.uuid()).isNotEqualTo(first.uuid());
        assertThat(omics.getRun(first.runId()).orElseThrow().uuid()).isEqualTo(second.uuid());
        assertThat(third.runId()).isNotEqualTo(first.runId());
        // The first request is still answered with its own (deleted) run.
        assertThat(omics.runForRequest("req-1").orElseThrow().uuid()).isEqualTo(first.uuid());
    }

    @Test
    void eachStartRunErrorIsClassifiedAsSdkOmicsRunsClassifiesIt() {
        assertThat(StartRunErrors.throttling().kind()).isEqualTo(OmicsRuns.ErrorKind.THROTTLED);
        assertThat(StartRunErrors.quotaExceeded().kind()).isEqualTo(OmicsRuns.ErrorKind.QUOTA);
        assertThat(StartRunErrors.conflict("c").kind()).isEqualTo(OmicsRuns.ErrorKind.CONFLICT);
        for (OmicsRuns.StartRunException retryable : new OmicsRuns.StartRunException[] {StartRunErrors.requestTimeout(),
                StartRunErrors.internalServerError(), StartRunErrors.noAnswer(), StartRunErrors.unmodeled(503)}) {
            assertThat(retryable.kind()).as(retryable.errorName()).isEqualTo(OmicsRuns.ErrorKind.RETRYABLE);
        }
        for (OmicsRuns.StartRunException finalError : new OmicsRuns.StartRunException[] {StartRunErrors.validation("v"),
                StartRunErrors.accessDenied("a"), StartRunErrors.resourceNotFound("r"),
                StartRunErrors.unmodeled(400)}) {
            assertThat(finalError.kind()).as(finalError.errorName()).isEqualTo(OmicsRuns.ErrorKind.FINAL);
        }
    }
}
