package org.sharpsweep.driver;

import java.util.Set;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

import scala.collection.JavaConverters;

/**
 * {@code sharpsweep sql} and the JDBC endpoint run queries only (docs/results.md: only a command
 * whose job it is may delete results). A statement is parsed first, without running anything,
 * and refused unless its plan reads: a query (SELECT, WITH, VALUES, TABLE, FROM ...), one of the
 * commands that only describe ({@code DESCRIBE}, {@code SHOW}, {@code EXPLAIN} of a query), or
 * {@code USE} of the database already in use (a JDBC client's connection sends
 * {@code USE default}; it changes nothing). Any write or command anywhere in the plan
 * ({@code INSERT [OVERWRITE] [LOCAL] DIRECTORY}, {@code CREATE}, {@code DROP}, {@code SET},
 * {@code CACHE}, {@code USE} of another database, ...) is refused with the statement's first
 * words. {@code sql} checks each statement here ({@link #check}); the endpoint's sessions parse
 * with a parser that applies {@link #offending} to every statement ({@link JdbcEndpoint}).
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
        String bad = offending(plan, () -> spark.catalog().currentDatabase());
        if (bad != null) throw refusal("sql", statement, bad);
    }

    /** The error for {@code statement}, refused by {@code who} because of plan node {@code bad}. */
    static IllegalArgumentException refusal(String who, String statement, String bad) {
        String words = String.join(" ", java.util.Arrays.stream(statement.strip().split("\\s+")).limit(4).toList());
        return new IllegalArgumentException(who + " runs queries only (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN); '" + words
                + " ...' is not a query (" + bad + ") and could change data or the session; results change only through "
                + "run, compact, check --repair and upgrade");
    }

    /**
     * The class of the first node of the plan that is not read-only, or null.
     *
     * @param currentDatabase the session's database, which {@code USE} may name (asked only for a
     *                        {@code USE}: the question starts the session's catalog)
     */
    static String offending(LogicalPlan plan, java.util.function.Supplier<String> currentDatabase) {
        String name = plan.getClass().getSimpleName();
        if (name.equals("ExplainCommand")) {
            try {
                LogicalPlan inner = (LogicalPlan) plan.getClass().getMethod("logicalPlan").invoke(plan);
                return offending(inner, currentDatabase);
            } catch (ReflectiveOperationException e) {
                return name;
            }
        }
        if (plan instanceof org.apache.spark.sql.catalyst.plans.logical.SetCatalogAndNamespace use
                && use.child() instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedNamespace ns
                && ns.multipartIdentifier().size() == 1 && ns.multipartIdentifier().head().equalsIgnoreCase(currentDatabase.get())) {
            return null;
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
            String bad = offending(child, currentDatabase);
            if (bad != null) return bad;
        }
        return null;
    }
}
