package org.sharpsweep.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The right to write one sweep of a table: a running sweep, a compaction or a recovery holds
 * it, so two processes never write the same sweep's rows at once, and whoever holds it knows
 * that every journal of the sweep belongs to a run that is over.
 *
 * <p>On a local file system it is an operating-system lock on
 * {@code DIR/_journal/<sweep>/_lock}, released by the kernel when the process dies, however it
 * dies. On other file systems (HDFS, object stores) it is that file created exclusively and
 * touched every {@value #HEARTBEAT_SECONDS} s; a lock not touched for {@value #STALE_SECONDS} s
 * belongs to a dead process and is taken over.
 */
public final class SweepLock implements AutoCloseable {
    public static final int HEARTBEAT_SECONDS = 10;
    public static final int STALE_SECONDS = 60;
    public static final String NAME = "_lock";

    private final FileChannel channel;
    private final FileLock osLock;
    private final FileSystem fs;
    private final Path file;
    private final ScheduledExecutorService heartbeat;

    private SweepLock(FileChannel channel, FileLock osLock, FileSystem fs, Path file, ScheduledExecutorService heartbeat) {
        this.channel = channel;
        this.osLock = osLock;
        this.fs = fs;
        this.file = file;
        this.heartbeat = heartbeat;
    }

    /** The lock, or null if another live process (or another run in this JVM) holds it. */
    public static SweepLock tryAcquire(FileSystem fs, Path sweepJournalDir) throws IOException {
        Path file = new Path(sweepJournalDir, NAME);
        fs.mkdirs(sweepJournalDir);
        String who = "pid " + ProcessHandle.current().pid() + " on " + host()
                + " since " + Instant.now() + "\n";
        if ("file".equals(fs.getUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(file.toUri().getPath());
            FileChannel ch = FileChannel.open(local, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                return null;
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)));
            return new SweepLock(ch, l, fs, file, null);
        }
        if (fs.exists(file)) {
            FileStatus st = fs.getFileStatus(file);
            if (System.currentTimeMillis() - st.getModificationTime() < STALE_SECONDS * 1000L) return null;
            fs.delete(file, false);
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(who.getBytes(StandardCharsets.UTF_8));
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return null;
        }
        ScheduledExecutorService hb = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sharpsweep-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        hb.scheduleAtFixedRate(() -> {
            try {
                fs.setTimes(file, System.currentTimeMillis(), -1);
            } catch (IOException ignored) {
                // the next beat tries again; a lock that stays silent is taken over after STALE_SECONDS
            }
        }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        return new SweepLock(null, null, fs, file, hb);
    }

    /** Who holds the lock of a sweep, as its file says (for messages). */
    public static String holder(FileSystem fs, Path sweepJournalDir) {
        Path file = new Path(sweepJournalDir, NAME);
        try {
            if ("file".equals(fs.getUri().getScheme())) {
                return Files.readString(java.nio.file.Path.of(file.toUri().getPath())).strip();
            }
            try (var in = fs.open(file)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            return "another process";
        }
    }

    @Override
    public void close() throws IOException {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            fs.delete(file, false);
        }
        if (osLock != null) {
            osLock.release();
            channel.close();
        }
    }

    /** This machine's host name, for the lock's "who holds it" line. */
    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
