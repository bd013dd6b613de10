package io.omicsbatch.functions.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.settings.SettingsJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.GetWorkflowResponse;
import software.amazon.awssdk.services.omics.model.OmicsException;
import software.amazon.awssdk.services.omics.model.ResourceNotFoundException;
import software.amazon.awssdk.services.omics.model.WorkflowParameter;

/**
 * GetWorkflow through the SDK (the reading client, with the SDK's retries). Only a ResourceNotFoundException
 * condemns a batch; anything else leaves the parameters to StartRun, since the check is a courtesy, not a gate.
 * A Nextflow workflow's {@code profiles} and {@code profileParameterTemplates} are read from the response's JSON
 * ({@link UnmodeledMembersInterceptor}: the client must carry it), since SDK 2.40.2 does not model them.
 */
public final class SdkWorkflowCatalog implements WorkflowCatalog {

    private static final String PROFILES = "profiles";
    private static final String PROFILE_TEMPLATES = "profileParameterTemplates";

    private final OmicsClient omics;

    public SdkWorkflowCatalog(OmicsClient omics) {
        this.omics = omics;
    }

    @Override
    public Lookup parameterTemplate(String workflowId, String workflowOwnerId) {
        GetWorkflowResponse workflow;
        ObjectNode unmodeled = SettingsJson.MAPPER.createObjectNode();
        try {
            workflow = omics.getWorkflow(b -> b.id(workflowId).workflowOwnerId(workflowOwnerId)
                    .overrideConfiguration(o -> o.putExecutionAttribute(UnmodeledMembersInterceptor.RESPONSE_MEMBERS,
                            new UnmodeledMembersInterceptor.Capture(List.of(PROFILES, PROFILE_TEMPLATES), unmodeled))));
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
        Map<String, Boolean> template = null;
        if (workflow.hasParameterTemplate()) {
            template = new LinkedHashMap<>();
            for (Map.Entry<String, WorkflowParameter> parameter : workflow.parameterTemplate().entrySet()) {
                template.put(parameter.getKey(), parameter.getValue() != null && Boolean.TRUE.equals(parameter.getValue().optional()));
            }
        }
        List<String> profiles = new ArrayList<>();
        unmodeled.path(PROFILES).forEach(profile -> {
            if (profile.isTextual()) {
                profiles.add(profile.textValue());
            }
        });
        Map<String, Map<String, Boolean>> profileTemplates = new LinkedHashMap<>();
        unmodeled.path(PROFILE_TEMPLATES).fields().forEachRemaining(profile -> {
            Map<String, Boolean> parameters = new LinkedHashMap<>();
            // As in parameterTemplate: a parameter is required unless it says "optional": true.
            profile.getValue().fields().forEachRemaining(parameter ->
                    parameters.put(parameter.getKey(), parameter.getValue().path("optional").asBoolean(false)));
            profileTemplates.put(profile.getKey(), parameters);
        });
        if (template == null && profileTemplates.isEmpty()) {
            return new NoTemplate();
        }
        return new Template(template, profiles, profileTemplates);
    }
}
