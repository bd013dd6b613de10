package io.omicsbatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.settings.SettingsJson;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingRunQueueTest {

    private final RecordingRunQueue queue = new RecordingRunQueue();

    private static RunMessage message(String runSettingId) {
        return new RunMessage("b1", runSettingId, SettingsJson.MAPPER.createObjectNode().put("requestId", runSettingId));
    }

    @Test
    void aQueueToldToFailKeepsWhatItAcceptedBefore() {
        queue.failAfter(2);

        assertThatThrownBy(() -> queue.send(List.of(message("S0"), message("S1"), message("S2"))))
                .isInstanceOf(IllegalStateException.class);

        assertThat(queue.sent()).extracting(RunMessage::runSettingId).containsExactly("S0", "S1");
        queue.accept();
        queue.send(List.of(message("S2")));
        assertThat(queue.sent()).extracting(RunMessage::runSettingId).containsExactly("S0", "S1", "S2");
    }

    @Test
    void aMessageSentAgainIsRecordedWithItsDelay() {
        queue.sendDelayed(message("S0"), Duration.ofSeconds(63));

        assertThat(queue.delayed()).containsExactly(new RecordingRunQueue.Delayed(message("S0"), Duration.ofSeconds(63)));
        assertThat(queue.sent()).isEmpty();
    }
}
