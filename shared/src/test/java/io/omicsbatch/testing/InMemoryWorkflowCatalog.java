package io.omicsbatch.testing;

import io.omicsbatch.batch.WorkflowCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The account's workflows in memory. A workflow not added is {@link WorkflowCatalog.NotFound}, with
 * SdkWorkflowCatalog's message; a workflow can also be made to answer {@link WorkflowCatalog.Unchecked} (no
 * permission, a failure). Every lookup is recorded.
 */
public final class InMemoryWorkflowCatalog implements WorkflowCatalog {

    /** One GetWorkflow call. */
    public record Request(String workflowId, String workflowOwnerId) {}

    private final Map<Request, Lookup> answers = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();

    /** A workflow of this account with a parameter template: each parameter name with whether it is optional. */
    public synchronized InMemoryWorkflowCatalog withTemplate(String workflowId, Map<String, Boolean> optionalByName) {
        return answer(workflowId, null, new Template(optionalByName, List.of(), Map.of()));
    }

    /** A workflow of this account that declares no parameter template. */
    public synchronized InMemoryWorkflowCatalog withoutTemplate(String workflowId) {
        return answer(workflowId, null, new NoTemplate());
    }

    /** What GetWorkflow answers for the workflow (owner null: this account's). */
    public synchronized InMemoryWorkflowCatalog answer(String workflowId, String workflowOwnerId, Lookup answer) {
        answers.put(new Request(workflowId, workflowOwnerId), answer);
        return this;
    }

    @Override
    public synchronized Lookup parameterTemplate(String workflowId, String workflowOwnerId) {
        Request request = new Request(workflowId, workflowOwnerId);
        requests.add(request);
        Lookup answer = answers.get(request);
        if (answer != null) {
            return answer;
        }
        return new NotFound("workflow " + workflowId + (workflowOwnerId == null ? "" : " of owner " + workflowOwnerId)
                + " does not exist in this account and region (GetWorkflow: ResourceNotFoundException); no run "
                + "of this batch could start");
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }
}
