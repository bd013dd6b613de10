package io.omicsbatch.resources;

import java.util.List;

/**
 * A DynamoDB table as both the CDK stack and the local stand-ins create it: one definition, so the two
 * cannot drift apart. Attribute types are DynamoDB's scalar type letters (S, N, B).
 */
public record TableDefinition(String name, Key partitionKey, Key sortKey, List<Index> globalSecondaryIndexes) {

    public record Key(String attribute, String type) {}

    /**
     * A global secondary index projecting all attributes, or ({@code projectedAttributes} not null) its keys, the
     * table's keys and these attributes alone (INCLUDE): an update of an attribute not projected writes nothing to it.
     */
    public record Index(String name, Key partitionKey, Key sortKey, List<String> projectedAttributes) {

        public Index(String name, Key partitionKey, Key sortKey) {
            this(name, partitionKey, sortKey, null);
        }
    }
}
