package io.omicsbatch.functions.aws;

import io.omicsbatch.batch.WorkflowCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.GetWorkflowResponse;
import software.amazon.awssdk.services.omics.model.OmicsException;
import software.amazon.awssdk.services.omics.model.ResourceNotFoundException;

/**
 * GetWorkflow through the SDK (the reading client, with the SDK's retries). Only a ResourceNotFoundException
 * condemns a batch; anything else leaves the parameters to StartRun, since the check is a courtesy, not a gate.
 */
public final class SdkWorkflowCatalog implements WorkflowCatalog {

    private final OmicsClient omics;

    public SdkWorkflowCatalog(OmicsClient omics) {
        this.omics = omics;
    }

    @Override
    public Lookup parameterTemplate(String workflowId, String workflowOwnerId) {
        GetWorkflowResponse workflow;
        try {
            workflow = omics.getWorkflow(b -> b.id(workflowId).workflowOwnerId(workflowOwnerId));
        } catch (ResourceNotFoundException e) {
            return new NotFound("workflow " + workflowId
                    + (workflowOwnerId == null ? "" : " of owner " + workflowOwnerId)
                    + " does not exist in this account and region (GetWorkflow: ResourceNotFoundException); no run "
                    + "of this batch could start");
        } catch (OmicsException e) {
            return new Unchecked("GetWorkflow: " + e.awsErrorDetails().errorCode());
        } catch (SdkException e) {
            return new Unchecked("GetWorkflow: " + e.getClass().getSimpleName());
        }
        if (!workflow.hasParameterTemplate()) {
            return new NoTemplate();
        }
        Map<String, Boolean> template = new LinkedHashMap<>();
        workflow.parameterTemplate().forEach((name, parameter) ->
                template.put(name, parameter != null && Boolean.TRUE.equals(parameter.optional())));
        return new Template(template);
    }
}
