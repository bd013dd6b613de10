package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks run parameters against the workflow's parameter template (GetWorkflow's {@code parameterTemplate}), as
 * StartRun will: every required parameter present and not null after the merge, and no parameter outside the
 * template.
 *
 * <p>Why at intake: StartRun rejects such a run with a ValidationException, but only when its turn comes, at the
 * account's pace, hours into a large batch. Checked here, one misspelt parameter name rejects the batch before any
 * run is submitted, with a pointer to each offending run setting.
 */
public final class WorkflowParameterCheck {

    /** Template names quoted in a message at most; a template may hold 2,000. */
    private static final int NAMES_SHOWN = 10;

    private final String workflowId;
    private final Map<String, Boolean> optionalByName;
    private final JsonNode defaultParameters;

    /**
     * @param workflowId        the workflow, for messages
     * @param optionalByName    the template: each parameter name and whether it is optional
     * @param defaultParameters {@code defaultRunSetting.parameters}, or null
     */
    public WorkflowParameterCheck(String workflowId, Map<String, Boolean> optionalByName, JsonNode defaultParameters) {
        this.workflowId = Objects.requireNonNull(workflowId, "workflowId");
        this.optionalByName = Collections.unmodifiableMap(new LinkedHashMap<>(optionalByName));
        this.defaultParameters = defaultParameters != null && defaultParameters.isObject() ? defaultParameters : null;
    }

    /** Default parameters outside the template, reported once at {@code /defaultRunSetting/parameters/<name>}. */
    void checkDefaults(ValidationErrors errors) {
        if (defaultParameters != null) {
            reportUnknown(defaultParameters, "/defaultRunSetting/parameters", errors);
        }
    }

    /**
     * One run setting's merged parameters.
     *
     * @param runParameters the run setting's {@code parameters} (null when absent; ignored when not an object, which
     *                      the structure check reports)
     * @param runPointer    the run setting's pointer
     */
    void checkRun(JsonNode runParameters, String runPointer, ValidationErrors errors) {
        if (runParameters != null && !runParameters.isNull() && !runParameters.isObject()) {
            return; // the structure check reports the type
        }
        JsonNode own = runParameters == null || runParameters.isNull() ? null : runParameters;
        String pointer = Pointers.child(runPointer, "parameters");
        if (own != null) {
            reportUnknown(own, pointer, errors);
        }
        List<String> missing = new ArrayList<>();
        optionalByName.forEach((name, optional) -> {
            if (!optional && !present(merged(name, own))) {
                missing.add(name);
            }
        });
        if (!missing.isEmpty()) {
            errors.add(pointer, Rule.WORKFLOW_PARAMETERS, "lacks required parameter" + (missing.size() == 1 ? " " : "s ")
                    + quoted(missing) + " of workflow " + workflowId
                    + "; set " + (missing.size() == 1 ? "it" : "them") + " here or in defaultRunSetting.parameters");
        }
    }

    /** The merged value, as {@link RunRequestMerger} computes it: the run's entry (even a null) wins. */
    private JsonNode merged(String name, JsonNode own) {
        if (own != null && own.has(name)) {
            return own.get(name);
        }
        return defaultParameters == null ? null : defaultParameters.get(name);
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private void reportUnknown(JsonNode parameters, String pointer, ValidationErrors errors) {
        for (Iterator<String> names = parameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!optionalByName.containsKey(name)) {
                errors.add(Pointers.child(pointer, name), Rule.WORKFLOW_PARAMETERS,
                        "is not a parameter of workflow " + workflowId + "; its parameter template has "
                                + (optionalByName.isEmpty() ? "no parameters" : quoted(List.copyOf(optionalByName.keySet()))));
            }
        }
    }

    private static String quoted(List<String> names) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(names.size(), NAMES_SHOWN); i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        }
        if (names.size() > NAMES_SHOWN) {
            out.append(" and ").append(names.size() - NAMES_SHOWN).append(" more");
        }
        return out.toString();
    }
}
