package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks run parameters against the workflow's parameter template (GetWorkflow's {@code parameterTemplate}), as
 * StartRun will: every required parameter present and not null after the merge, and no parameter outside the
 * template. A Nextflow workflow with profiles has a template per profile ({@code profileParameterTemplates}): each
 * run is checked against the template of the profile it will use, its merged {@code engineSettings.profile}, else
 * the workflow's default profile ({@value #DEFAULT_PROFILE}, Nextflow's convention, when the workflow has it); a
 * profile without a template of its own, or no profile, uses the workflow's {@code parameterTemplate}.
 *
 * <p>Why at intake: StartRun rejects such a run with a ValidationException, but only when its turn comes, at the
 * account's pace, hours into a large batch. Checked here, one misspelt parameter name rejects the batch before any
 * run is submitted, with a pointer to each offending run setting.
 *
 * <p>One instance per batch: a mistake in {@code defaultRunSetting} is reported once, when the first run inherits it.
 */
public final class WorkflowParameterCheck {

    /**
     * The profile Nextflow applies when none is named. GetWorkflow does not say which profile a workflow uses by
     * default; HealthOmics documents none, so Nextflow's own rule is assumed.
     */
    public static final String DEFAULT_PROFILE = "standard";

    private static final String DEFAULTS_PARAMETERS = "/defaultRunSetting/parameters";
    private static final String DEFAULTS_PROFILE = "/defaultRunSetting/engineSettings/profile";
    /** Template names quoted in a message at most; a template may hold 2,000. */
    private static final int NAMES_SHOWN = 10;

    /** One parameter template and how messages name it. */
    private record Template(String label, Map<String, Boolean> optionalByName) {}

    private final String workflowId;
    private final Template base;
    private final Set<String> profiles;
    private final Map<String, Template> byProfile = new LinkedHashMap<>();
    private final JsonNode defaultParameters;
    private final JsonNode defaultEngineSettings;
    /** The template of runs that use the defaults' profile; null when that profile is unknown or has no template. */
    private final Template defaultsTemplate;
    private boolean defaultsReported;

    /**
     * @param defaults         the batch's defaultRunSetting (workflow id, parameters, engineSettings)
     * @param template         the workflow's parameterTemplate: each parameter name and whether it is optional; null
     *                         when it declares none
     * @param profiles         the workflow's Nextflow profiles (empty for none)
     * @param profileTemplates the parameter templates of the profiles that have one, by profile name
     */
    public WorkflowParameterCheck(DefaultRunSetting defaults, Map<String, Boolean> template, List<String> profiles,
                                  Map<String, Map<String, Boolean>> profileTemplates) {
        this.workflowId = defaults.workflowId();
        this.base = template == null ? null : new Template("workflow " + workflowId, copy(template));
        this.profiles = Collections.unmodifiableSet(new LinkedHashSet<>(profiles));
        profileTemplates.forEach((profile, parameters) -> byProfile.put(profile,
                new Template("workflow " + workflowId + " with profile \"" + profile + "\"", copy(parameters))));
        this.defaultParameters = defaults.parameters();
        this.defaultEngineSettings = defaults.engineSettings();
        String profile = namedProfile(defaultEngineSettings);
        this.defaultsTemplate = unknown(profile) ? null : templateFor(profile);
    }

    /**
     * One run setting's merged parameters.
     *
     * @param runParameters     the run setting's {@code parameters} (null when absent; ignored when not an object,
     *                          which the structure check reports)
     * @param runEngineSettings the run setting's {@code engineSettings} (null when absent: the defaults' apply)
     * @param runPointer        the run setting's pointer
     */
    void checkRun(JsonNode runParameters, JsonNode runEngineSettings, String runPointer, ValidationErrors errors) {
        if (runParameters != null && !runParameters.isNull() && !runParameters.isObject()) {
            return; // the structure check reports the type
        }
        JsonNode own = runParameters == null || runParameters.isNull() ? null : runParameters;
        boolean ownEngineSettings = runEngineSettings != null && !runEngineSettings.isNull();
        String profile = namedProfile(ownEngineSettings ? runEngineSettings : defaultEngineSettings);
        if (unknown(profile)) {
            if (ownEngineSettings) {
                errors.add(Pointers.child(Pointers.child(runPointer, "engineSettings"), "profile"), Rule.WORKFLOW_PROFILE,
                        unknownProfileMessage(profile));
            } else if (!defaultsReported) {
                defaultsReported = true;
                errors.add(DEFAULTS_PROFILE, Rule.WORKFLOW_PROFILE, unknownProfileMessage(profile));
            }
            return;
        }
        Template template = templateFor(profile);
        if (template == null) {
            return; // the workflow declares no template for this run: StartRun judges it
        }
        String pointer = Pointers.child(runPointer, "parameters");
        checkInherited(own, pointer, template, errors);
        if (own != null) {
            reportUnknown(own, pointer, template, errors);
        }
        List<String> missing = new ArrayList<>();
        template.optionalByName().forEach((name, optional) -> {
            if (!optional && !present(merged(name, own))) {
                missing.add(name);
            }
        });
        if (!missing.isEmpty()) {
            errors.add(pointer, Rule.WORKFLOW_PARAMETERS, "lacks required parameter" + (missing.size() == 1 ? " " : "s ")
                    + quoted(missing) + " of " + template.label()
                    + "; set " + (missing.size() == 1 ? "it" : "them") + " here or in defaultRunSetting.parameters");
        }
    }

    /**
     * Default parameters outside the run's template: once at {@code /defaultRunSetting/parameters/<name>} for the
     * runs of the defaults' profile, at the run for a run whose own profile has another template.
     */
    private void checkInherited(JsonNode own, String pointer, Template template, ValidationErrors errors) {
        if (defaultParameters == null) {
            return;
        }
        if (template == defaultsTemplate) {
            if (!defaultsReported) {
                defaultsReported = true;
                reportUnknown(defaultParameters, DEFAULTS_PARAMETERS, template, errors);
            }
            return;
        }
        List<String> inherited = new ArrayList<>();
        for (Iterator<String> names = defaultParameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if ((own == null || !own.has(name)) && !template.optionalByName().containsKey(name)) {
                inherited.add(name);
            }
        }
        if (!inherited.isEmpty()) {
            errors.add(pointer, Rule.WORKFLOW_PARAMETERS, "inherits " + quoted(inherited)
                    + " from defaultRunSetting.parameters, not " + (inherited.size() == 1 ? "a parameter" : "parameters")
                    + " of " + template.label() + "; its parameter template has " + names(template));
        }
    }

    /** The profile named by merged engineSettings, or null when none is (a non-string profile is StartRun's to judge). */
    private static String namedProfile(JsonNode engineSettings) {
        if (engineSettings == null || !engineSettings.isObject()) {
            return null;
        }
        JsonNode profile = engineSettings.get("profile");
        return profile != null && profile.isTextual() ? profile.textValue() : null;
    }

    /** A named profile the workflow lacks; a workflow that lists no profiles is left to StartRun. */
    private boolean unknown(String profile) {
        return profile != null && !profiles.isEmpty() && !profiles.contains(profile);
    }

    private Template templateFor(String named) {
        String profile = named != null ? named : profiles.contains(DEFAULT_PROFILE) ? DEFAULT_PROFILE : null;
        Template template = profile == null ? null : byProfile.get(profile);
        return template != null ? template : base;
    }

    private String unknownProfileMessage(String profile) {
        return "is not a profile of workflow " + workflowId + "; its profiles are " + quoted(List.copyOf(profiles));
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

    private static void reportUnknown(JsonNode parameters, String pointer, Template template, ValidationErrors errors) {
        for (Iterator<String> names = parameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!template.optionalByName().containsKey(name)) {
                errors.add(Pointers.child(pointer, name), Rule.WORKFLOW_PARAMETERS,
                        "is not a parameter of " + template.label() + "; its parameter template has " + names(template));
            }
        }
    }

    private static String names(Template template) {
        return template.optionalByName().isEmpty() ? "no parameters" : quoted(List.copyOf(template.optionalByName().keySet()));
    }

    private static Map<String, Boolean> copy(Map<String, Boolean> template) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(template));
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
