package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppState;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * A sweep on a real YARN cluster: Hadoop's MiniYARNCluster (a ResourceManager and a NodeManager
 * in this JVM, as Spark's own YARN tests use) launches the application master and the executors
 * as containers, and the sweep is submitted with {@code scripts/submit --master yarn} and the
 * shaded jar, with the build's Spark jars as the Spark installation ({@link SparkInstall}).
 */
class YarnIT {
    private static final long START_TIMEOUT_S = 60;

    @TempDir
    Path tmp;

    private MiniYARNCluster yarn;

    @AfterEach
    void stopYarn() {
        if (yarn != null) yarn.stop();
    }

    @Test
    void tinySweepRunsOnYarnThroughScriptsSubmit() throws Exception {
        YarnConfiguration conf = new YarnConfiguration();
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f); // a full /tmp is not a sick node
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        // one queue taking the whole cluster (a distribution ships this as capacity-scheduler.xml)
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f); // the AM may use the small node
        yarn = new MiniYARNCluster("sharpsweep-it", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        Configuration live = yarn.getConfig();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (live.get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0") && System.nanoTime() < deadline) {
            Thread.sleep(100); // the ResourceManager publishes its real port once it is up
        }
        Path confDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
        try (OutputStream o = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            live.writeXml(o);
        }

        SparkInstall spark = SparkInstall.create(tmp);
        String javaHome = System.getProperty("java.home");
        String out = tmp.resolve("results").toString();
        String log = spark.submit(tmp.resolve("submit.log"),
                Map.of("HADOOP_CONF_DIR", confDir.toString(), "SHARPSWEEP_MEMORY_OVERHEAD", "384m"),
                "--master", "yarn", "--deploy-mode", "client", "--num-executors", "1", "--executor-cores", "2",
                "--executor-memory", "1g",
                "--conf", "spark.yarn.jars=local:" + spark.home.resolve("jars") + "/*", // already on the node
                "--conf", "spark.yarn.stagingDir=" + tmp.resolve("staging").toUri(),
                "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                "run", "tiny", "--out", out, "--no-progress");
        assertTrue(log.contains("sweep tiny: 8 points, 0 already done, 8 run (8 OK"), SparkInstall.tail(tmp.resolve("submit.log")));

        assertEquals(8, SharedSpark.get().read().parquet(out).filter(col(ResultSchema.STATUS).equalTo("OK")
                .and(col(ResultSchema.SHARPNESS).isNotNull())).count());
        // YARN ran it as one application that finished
        var apps = yarn.getResourceManager().getRMContext().getRMApps().values();
        assertEquals(1, apps.size(), "applications YARN saw");
        RMApp app = apps.iterator().next();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (app.getState() != RMAppState.FINISHED && System.nanoTime() < deadline) Thread.sleep(200);
        if (app.getState() != RMAppState.FINISHED) fail("YARN application state " + app.getState());
    }
}
