package org.sharpsweep.driver;

import java.util.Set;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

import scala.collection.JavaConverters;

/**
 * {@code sharpsweep sql} runs queries only (docs/results.md: only a command whose job it is
 * may delete results). A statement is parsed first, without running anything, and refused
 * unless its plan reads: a query (SELECT, WITH, VALUES, TABLE, FROM ...), or one of the
 * commands that only describe ({@code DESCRIBE}, {@code SHOW}, {@code EXPLAIN} of a query).
 * Any write or command anywhere in the plan ({@code INSERT [OVERWRITE] [LOCAL] DIRECTORY},
 * {@code CREATE}, {@code DROP}, {@code SET}, {@code CACHE}, ...) is refused with the statement's
 * first words.
 */
final class ReadOnlySql {
    private ReadOnlySql() {
    }

    /** Commands that only describe what exists. */
    private static final Set<String> DESCRIBING = Set.of("DescribeRelation", "DescribeColumn", "DescribeTableCommand",
            "DescribeColumnCommand", "DescribeQueryCommand", "DescribeFunction", "DescribeNamespace", "ShowTables",
            "ShowTablesCommand", "ShowViews", "ShowColumns", "ShowColumnsCommand", "ShowFunctions", "ShowFunctionsCommand",
            "ShowNamespaces", "ShowTableProperties", "ShowCreateTable", "ShowPartitions");

    /** @throws IllegalArgumentException if {@code statement} could change data or the session */
    static void check(SparkSession spark, String statement) {
        LogicalPlan plan;
        try {
            plan = spark.sessionState().sqlParser().parsePlan(statement);
        } catch (Exception e) { // a parse error: let Spark report it when the statement runs
            return;
        }
        String bad = offending(plan);
        if (bad != null) {
            String words = String.join(" ", java.util.Arrays.stream(statement.strip().split("\\s+")).limit(4).toList());
            throw new IllegalArgumentException("sql runs queries only (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN); '" + words
                    + " ...' is not a query (" + bad + ") and could change data or the session; results change only through "
                    + "run, compact, check --repair and upgrade");
        }
    }

    /** The class of the first node of the plan that is not read-only, or null. */
    static String offending(LogicalPlan plan) {
        String name = plan.getClass().getSimpleName();
        if (name.equals("ExplainCommand")) {
            try {
                LogicalPlan inner = (LogicalPlan) plan.getClass().getMethod("logicalPlan").invoke(plan);
                return offending(inner);
            } catch (ReflectiveOperationException e) {
                return name;
            }
        }
        if (plan instanceof org.apache.spark.sql.catalyst.plans.logical.Command) {
            return DESCRIBING.contains(name) ? null : name;
        }
        if (name.startsWith("Insert") || name.contains("Overwrite") || name.startsWith("Append") || name.startsWith("Create")
                || name.startsWith("Replace") || name.startsWith("Drop") || name.startsWith("Alter") || name.startsWith("Delete")
                || name.startsWith("Update") || name.startsWith("Merge") || name.startsWith("Truncate")) {
            return name;
        }
        for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
            String bad = offending(child);
            if (bad != null) return bad;
        }
        return null;
    }
}
