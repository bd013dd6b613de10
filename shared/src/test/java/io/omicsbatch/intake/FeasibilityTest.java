package io.omicsbatch.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The numbers behind intake's feasibility check: can every run be submitted before its message expires? */
class FeasibilityTest {

    private static Admission intakeAt(double tps) {
        return new Admission(null, null, null, null, IntakeService.Config.defaults(tps));
    }

    @Test
    void aBatchThatFitsInTheRunQueuesRetentionIsFeasible() {
        // 100,000 runs at 1/s take ~27.8 h, well within 14 days.
        assertThat(intakeAt(1.0).feasibilityProblem(100_000)).isEmpty();
        // At 0.1/s, 100,000 runs take 11.6 days: still within 14.
        assertThat(intakeAt(0.1).feasibilityProblem(100_000)).isEmpty();
        // The boundary: exactly 14 days of submissions.
        assertThat(intakeAt(0.1).feasibilityProblem(120_960)).isEmpty();
    }

    @Test
    void anInfeasibleBatchIsRefusedWithTheNumbers() {
        assertThat(intakeAt(0.05).feasibilityProblem(100_000)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("0.050 StartRun calls per second")
                .contains("100000 runs need 23.1 days")
                .contains("14.0-day")
                .contains("at most 60480 runs"));
        assertThat(intakeAt(0.1).feasibilityProblem(120_961)).isPresent();
    }
}
