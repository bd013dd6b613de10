package io.omicsbatch.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The account's workflows, as far as intake needs them: a workflow's parameter templates (GetWorkflow). */
public interface WorkflowCatalog {

    /**
     * Looks a workflow up.
     *
     * @param workflowOwnerId the owner's account id for a workflow shared with this account, or null
     */
    Lookup parameterTemplate(String workflowId, String workflowOwnerId);

    /** What a lookup found. */
    sealed interface Lookup permits Template, NoTemplate, NotFound, Unchecked {}

    /**
     * The workflow exists; its parameter templates, each parameter with whether it is optional.
     *
     * @param optionalByName   its parameterTemplate, or null when it has none (runs then need a profile's)
     * @param profiles         its Nextflow profiles (GetWorkflow's {@code profiles}); empty for none
     * @param profileTemplates the parameter templates of profiles that have one ({@code profileParameterTemplates})
     */
    record Template(Map<String, Boolean> optionalByName, List<String> profiles,
                    Map<String, Map<String, Boolean>> profileTemplates) implements Lookup {
        public Template {
            optionalByName = optionalByName == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(optionalByName));
            profiles = List.copyOf(profiles);
            profileTemplates = Collections.unmodifiableMap(new LinkedHashMap<>(profileTemplates));
        }
    }

    /** The workflow exists and declares no parameter template at all: there is nothing to check runs against. */
    record NoTemplate() implements Lookup {}

    /** The workflow does not exist, in this account and region or for this owner: no run of the batch could start. */
    record NotFound(String message) implements Lookup {}

    /**
     * The template could not be read (no permission, a failure): StartRun will still check each run's parameters,
     * one by one.
     */
    record Unchecked(String reason) implements Lookup {}
}
