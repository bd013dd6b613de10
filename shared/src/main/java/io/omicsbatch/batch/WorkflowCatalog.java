package io.omicsbatch.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The account's workflows, as far as intake needs them: a workflow's parameter template (GetWorkflow). */
public interface WorkflowCatalog {

    /**
     * Looks a workflow up.
     *
     * @param workflowOwnerId the owner's account id for a workflow shared with this account, or null
     */
    Lookup parameterTemplate(String workflowId, String workflowOwnerId);

    /** What a lookup found. */
    sealed interface Lookup permits Template, NoTemplate, NotFound, Unchecked {}

    /** The workflow exists; its parameters, each with whether it is optional. */
    record Template(Map<String, Boolean> optionalByName) implements Lookup {
        public Template {
            optionalByName = Collections.unmodifiableMap(new LinkedHashMap<>(optionalByName));
        }
    }

    /** The workflow exists and declares no parameter template: there is nothing to check runs against. */
    record NoTemplate() implements Lookup {}

    /** The workflow does not exist, in this account and region or for this owner: no run of the batch could start. */
    record NotFound(String message) implements Lookup {}

    /**
     * The template could not be read (no permission, a failure): StartRun will still check each run's parameters,
     * one by one.
     */
    record Unchecked(String reason) implements Lookup {}
}
