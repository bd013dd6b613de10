package io.omicsbatch.operations;

import io.omicsbatch.batch.StartRunPacer;
import io.omicsbatch.batch.SubmitService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * CancelRun and DeleteRun, each under its own account-wide pace (their quota is 10 per second, apart from StartRun's),
 * retried a few times on throttling and transient errors. The answer is the outcome to record: null when the call
 * succeeded, else the error's name.
 */
final class PacedRunControl {

    /** Calls of one run before its outcome is recorded as failed. */
    static final int MAX_ATTEMPTS = 4;
    private static final Duration BASE_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_PERMIT_WAIT = Duration.ofSeconds(30);

    private final StartRunPacer pacer;
    private final Clock clock;
    private final SubmitService.Sleeper sleeper;

    PacedRunControl(StartRunPacer pacer, Clock clock, SubmitService.Sleeper sleeper) {
        this.pacer = pacer;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    interface Call {
        void run(String runId);
    }

    /** @return null if the call succeeded, else the last error's name */
    String call(Call call, String runId) throws InterruptedException {
        String lastError = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            StartRunPacer.Permit permit = pacer.acquire(MAX_PERMIT_WAIT);
            while (!permit.granted()) {
                sleeper.sleep(permit.retryAfter());
                permit = pacer.acquire(MAX_PERMIT_WAIT);
            }
            Duration untilSlot = Duration.between(clock.instant(), permit.grantedAt());
            if (!untilSlot.isNegative() && !untilSlot.isZero()) {
                sleeper.sleep(untilSlot);
            }
            try {
                call.run(runId);
                return null;
            } catch (RunControl.RunControlException e) {
                lastError = e.errorName();
                if (e.kind() == RunControl.ErrorKind.FINAL) {
                    return lastError;
                }
                if (e.kind() == RunControl.ErrorKind.THROTTLED) {
                    pacer.onThrottled();
                }
                if (attempt < MAX_ATTEMPTS) {
                    sleeper.sleep(BASE_BACKOFF.multipliedBy(1L << (attempt - 1)));
                }
            }
        }
        return lastError;
    }

    Instant now() {
        return clock.instant();
    }
}
