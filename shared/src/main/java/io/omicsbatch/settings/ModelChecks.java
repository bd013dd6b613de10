package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.model.OmicsModel;
import io.omicsbatch.model.OmicsModel.Shape;
import java.util.Map;

/**
 * Checks a JSON request against one shape of the service model, as the service does on receipt: unknown
 * members, types, required members, lengths, patterns, enums and ranges of its top-level members.
 * Used by the HealthOmics simulator; the batch validator adds the batch rules on top of the same checks.
 */
public final class ModelChecks {

    private ModelChecks() {}

    public static ValidationErrors check(JsonNode request, String shapeName) {
        Shape shape = OmicsModel.get().shape(shapeName);
        ValidationErrors errors = new ValidationErrors();
        ModelConstraints.checkStructure(request, "", shape, shape.required(), Map.of(), errors);
        return errors;
    }
}
