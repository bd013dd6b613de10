package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lifecycle order the status decisions and the reconciler's query of open runs rely on. */
class RunStatusTest {

    @Test
    void theLowestTerminalRankSeparatesOpenRunsFromEndedOnes() {
        for (RunStatus status : RunStatus.values()) {
            assertThat(status.rank() >= RunStatus.LOWEST_TERMINAL_RANK).as(status.name()).isEqualTo(status.isTerminal());
        }
    }

    @Test
    void anOutcomeOutranksDeletedSoADeletionNeverHidesIt() {
        for (RunStatus outcome : new RunStatus[] {RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED}) {
            assertThat(outcome.rank()).isGreaterThan(RunStatus.DELETED.rank());
        }
        assertThat(RunStatus.DELETED.rank()).isGreaterThan(RunStatus.STOPPING.rank());
    }
}
