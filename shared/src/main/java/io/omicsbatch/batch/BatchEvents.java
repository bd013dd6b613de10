package io.omicsbatch.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where batch status changes are announced (EventBridge: detail-type {@value #DETAIL_TYPE}). */
public interface BatchEvents {

    String DETAIL_TYPE = "RunBatch Status Change";

    /**
     * Publishes one event.
     *
     * @throws RuntimeException if it was not accepted; the announcement stays pending and is retried
     */
    void publish(String batchId, ObjectNode detail);
}
