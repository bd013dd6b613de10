package io.omicsbatch.infra;

import io.omicsbatch.resources.TableDefinition;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * A DynamoDB table exactly as a {@link TableDefinition} describes it (name, keys, global secondary indexes
 * projecting all attributes or the ones named): on demand, point-in-time recovery, encrypted with the data key, deletion
 * protection on, and kept when the stack is deleted (it holds the batches' records).
 */
public final class DefinedTable extends Construct {

    private final Table table;

    public DefinedTable(Construct scope, String id, TableDefinition definition, IKey key) {
        super(scope, id);
        Table.Builder builder = Table.Builder.create(this, "Table")
                .tableName(definition.name())
                .partitionKey(attribute(definition.partitionKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (definition.sortKey() != null) {
            builder.sortKey(attribute(definition.sortKey()));
        }
        table = builder.build();
        for (TableDefinition.Index index : definition.globalSecondaryIndexes()) {
            GlobalSecondaryIndexProps.Builder gsi = GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(attribute(index.partitionKey()));
            if (index.projectedAttributes() == null) {
                gsi.projectionType(ProjectionType.ALL);
            } else {
                gsi.projectionType(ProjectionType.INCLUDE).nonKeyAttributes(index.projectedAttributes());
            }
            if (index.sortKey() != null) {
                gsi.sortKey(attribute(index.sortKey()));
            }
            table.addGlobalSecondaryIndex(gsi.build());
        }
    }

    static Attribute attribute(TableDefinition.Key key) {
        return Attribute.builder().name(key.attribute()).type(type(key.type())).build();
    }

    static AttributeType type(String letter) {
        return switch (letter) {
            case "S" -> AttributeType.STRING;
            case "N" -> AttributeType.NUMBER;
            case "B" -> AttributeType.BINARY;
            default -> throw new IllegalArgumentException("unknown DynamoDB key type " + letter);
        };
    }

    public Table table() {
        return table;
    }
}
