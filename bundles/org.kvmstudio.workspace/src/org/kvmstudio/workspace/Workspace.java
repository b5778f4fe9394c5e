package org.kvmstudio.workspace;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;

import org.kvmstudio.input.InputFileException;
import org.kvmstudio.input.InputFiles;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Template;

/**
 * A KVM Studio workspace: a directory of pretty-printed JSON files, one per partition
 * ({@code partitions/SOFTINST-n.json}), per template ({@code templates/<name>.json}) and per host
 * ({@code hosts/<id>.json}), the private state of partitions ({@code state/SOFTINST-n/}, owner
 * only), and {@code workspace.json} holding the instance guid counter and the workspace's id. Only one KVM Studio may have it open:
 * {@link #open} takes an exclusive lock. Every change is written to disk atomically before it is
 * made in memory. A file that cannot be read is moved to {@code corrupt/} and reported in
 * {@link #loadProblems()}, never dropped. All methods are thread-safe; once closed, all but
 * {@link #directory()} and {@link #close()} throw {@link IllegalStateException}.
 *
 * <p>Partitions are read without waiting for writes, and written side by side: writes of one partition
 * follow each other in order, those of different partitions do not wait for each other's durable
 * writes (milliseconds each, more while QEMU starts), and the file system commits them together. A close
 * waits for the writes of files under way (a partition's private state is its provisioner's to finish).
 */
public final class Workspace implements PartitionStore, AutoCloseable {

    /** System property naming the workspace directory; wins over {@link #LOCATION_VARIABLE}. */
    public static final String LOCATION_PROPERTY = "kvmstudio.workspace";
    /** Environment variable naming the workspace directory. */
    public static final String LOCATION_VARIABLE = "KVMSTUDIO_WORKSPACE";

    static final String PARTITIONS = "partitions";
    static final String TEMPLATES = "templates";
    static final String HOSTS = "hosts";
    static final String STATE = "state";
    static final String CORRUPT = "corrupt";
    static final String WORKSPACE_FILE = "workspace.json";
    private static final String JSON = ".json";
    private static final DateTimeFormatter SET_ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Path partitionsDirectory;
    private final Path templatesDirectory;
    private final Path hostsDirectory;
    private final WorkspaceLock lock;
    /**
     * What the files hold, by instance number (listed often: a sort on every listing cost more than the
     * rest of it), read without a lock; each entry changed under its partition's lock ({@link #writing}).
     */
    private final Map<String, Partition> partitions = new ConcurrentSkipListMap<>(InstanceGuid.ORDER);
    private final Map<String, Template> templates = new HashMap<>();
    private final Map<String, Host> hosts = new HashMap<>();
    private final Map<String, PartitionState> states = new ConcurrentHashMap<>();
    /**
     * Held shared by every write, alone by {@link #close()}: a close waits for the writes under way,
     * and no write starts after it.
     */
    private final ReadWriteLock writes = new ReentrantReadWriteLock();
    /** One lock per group of partitions, so that the writes of one partition keep their order. */
    private final Object[] partitionLocks = new Object[64];
    /** A seam for tests: runs in each partition write, once its temporary file is complete. */
    volatile AtomicFiles.BeforeRename beforePartitionRename = temp -> { };
    private volatile String id;
    private final List<LoadProblem> loadProblems = new ArrayList<>();
    /**
     * Instance numbers are reserved on disk a block at a time ({@code workspace.json} holds the first
     * number not reserved): a request then writes only its partition's file, not the counter as well
     * (each durable write costs milliseconds, several while QEMU starts). A clean close gives back what
     * was not handed out; a crash skips the rest of a block, and never hands a number out twice.
     */
    private static final int INSTANCE_NUMBER_BLOCK = 32;
    private volatile long nextInstanceNumber;
    /** Numbers from here on were never handed out by anyone: what {@code workspace.json} holds. */
    private long reservedBelow;
    private volatile boolean closed;

    private Workspace(Path directory, WorkspaceLock lock) {
        this.directory = directory;
        this.partitionsDirectory = directory.resolve(PARTITIONS);
        this.templatesDirectory = directory.resolve(TEMPLATES);
        this.hostsDirectory = directory.resolve(HOSTS);
        this.lock = lock;
        Arrays.setAll(partitionLocks, i -> new Object());
    }

    /** The directory named by {@link #LOCATION_PROPERTY}, else {@link #LOCATION_VARIABLE}, else {@code ~/.kvmstudio}. */
    public static Path defaultLocation() {
        return Stream.of(System.getProperty(LOCATION_PROPERTY), System.getenv(LOCATION_VARIABLE))
                .filter(location -> location != null && !location.isBlank())
                .findFirst()
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".kvmstudio"));
    }

    /**
     * Opens the workspace in {@code dir}, creating it if needed.
     *
     * @throws WorkspaceLockedException if another KVM Studio, or this one, has it open
     */
    public static Workspace open(Path dir) throws IOException {
        Files.createDirectories(dir.resolve(PARTITIONS));
        Files.createDirectories(dir.resolve(TEMPLATES));
        Files.createDirectories(dir.resolve(HOSTS));
        Path directory = dir.toRealPath();
        WorkspaceLock lock = WorkspaceLock.acquire(directory);
        try {
            Workspace workspace = new Workspace(directory, lock);
            workspace.load();
            return workspace;
        } catch (Throwable e) {
            try {
                lock.release();
            } catch (IOException release) {
                e.addSuppressed(release);
            }
            throw e;
        }
    }

    /** The workspace directory, as a real path. */
    @Override
    public Path directory() {
        return directory;
    }

    /** Made up when the workspace is created, kept in {@code workspace.json}. */
    @Override
    public String id() {
        checkOpen();
        return id;
    }

    /** The files that could not be loaded when the workspace was opened, and where they were moved. */
    public synchronized List<LoadProblem> loadProblems() {
        checkOpen();
        return List.copyOf(loadProblems);
    }

    /** All partitions, by instance number. */
    @Override
    public List<Partition> partitions() {
        checkOpen();
        return List.copyOf(partitions.values());
    }

    @Override
    public Optional<Partition> partition(String id) {
        checkOpen();
        return id == null ? Optional.empty() : Optional.ofNullable(partitions.get(id));
    }

    /** Writes {@code partition} to its file, replacing the one with the same id. */
    @Override
    public void save(Partition partition) throws IOException {
        Path file = partitionFile(partition.id());
        long number = InstanceGuid.number(partition.id());
        byte[] json = WorkspaceJson.partitionToJson(partition);
        writing(partition.id(), () -> {
            if (number >= nextInstanceNumber) { // only ever grows: a number below it needs no second look
                synchronized (this) {
                    if (number >= nextInstanceNumber) {
                        // an id not handed out here (an import, an adoption) must not be handed out while it is
                        // written, nor later: skipped in memory first, so that a counter that cannot be written
                        // does not let it be handed out in this run (a number skipped for a write that fails is lost)
                        nextInstanceNumber = number + 1;
                        if (number >= reservedBelow) {
                            reserveBelow(number + 1);
                        }
                    }
                }
            }
            AtomicFiles.write(file, json, beforePartitionRename);
            partitions.put(partition.id(), partition);
        });
    }

    /** Removes the partition's file, then its private state: a crash in between leaves state no partition names, never the reverse. */
    @Override
    public void deletePartition(String id) throws IOException {
        Path file = partitionFile(id);
        writing(id, () -> {
            AtomicFiles.delete(file);
            partitions.remove(id);
            state(id).delete();
            states.remove(id);
        });
    }

    @Override
    public PartitionState state(String id) {
        checkOpen();
        return states.computeIfAbsent(InstanceGuid.check(id), key -> new PartitionState(directory.resolve(STATE).resolve(key)));
    }

    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    /** Runs a write of partition {@code id}'s files after those of it under way, beside those of others. */
    private void writing(String id, Write write) throws IOException {
        writes.readLock().lock();
        try {
            checkOpen();
            synchronized (partitionLocks[Math.floorMod(id.hashCode(), partitionLocks.length)]) {
                write.run();
            }
        } finally {
            writes.readLock().unlock();
        }
    }

    /** All hosts, by id. */
    public synchronized List<Host> hosts() {
        checkOpen();
        return hosts.values().stream().sorted(Comparator.comparing(Host::id)).toList();
    }

    public synchronized Optional<Host> host(String hostId) {
        checkOpen();
        return Optional.ofNullable(hosts.get(hostId));
    }

    /** Writes {@code host} to its file, replacing the one with the same id. */
    public synchronized void save(Host host) throws IOException {
        checkOpen();
        AtomicFiles.write(hostFile(host.id()), WorkspaceJson.hostToJson(host));
        hosts.put(host.id(), host);
    }

    public synchronized void deleteHost(String hostId) throws IOException {
        checkOpen();
        AtomicFiles.delete(hostFile(hostId));
        hosts.remove(hostId);
    }

    /** A new instance guid, {@code SOFTINST-n}; stored as used before it is returned, so a crash cannot hand it out twice. */
    @Override
    public synchronized String nextInstanceGuid() throws IOException {
        checkOpen();
        long number = nextInstanceNumber;
        if (number >= reservedBelow) {
            reserveBelow(number + INSTANCE_NUMBER_BLOCK);
        }
        nextInstanceNumber = number + 1;
        return InstanceGuid.of(number);
    }

    /** All templates, by name (ignoring case). */
    public synchronized List<Template> templates() {
        checkOpen();
        return templates.values().stream()
                .sorted(Comparator.comparing(Template::name, String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder())))
                .toList();
    }

    public synchronized Optional<Template> template(String name) {
        checkOpen();
        return Optional.ofNullable(templates.get(name));
    }

    /** Writes {@code template} to its file, replacing the one with the same name. */
    public synchronized void save(Template template) throws IOException {
        checkOpen();
        AtomicFiles.write(templateFile(template.name()), WorkspaceJson.templateToJson(template));
        templates.put(template.name(), template);
    }

    public synchronized void deleteTemplate(String name) throws IOException {
        checkOpen();
        AtomicFiles.delete(templateFile(name));
        templates.remove(name);
    }

    /** Releases the workspace for another KVM Studio; closing twice does nothing. */
    @Override
    public void close() throws IOException {
        writes.writeLock().lock();
        try {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    try {
                        if (nextInstanceNumber < reservedBelow) {
                            reserveBelow(nextInstanceNumber); // the numbers not handed out, back: guids stay dense
                        }
                    } finally {
                        lock.release();
                    }
                }
            }
        } finally {
            writes.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("workspace " + directory + " is closed");
        }
    }

    /** Ids and names become file names: only checked ones are resolved against the directory. */
    private Path partitionFile(String id) {
        return partitionsDirectory.resolve(InstanceGuid.check(id) + JSON);
    }

    private Path hostFile(String hostId) {
        Host.checkId(hostId);
        return hostsDirectory.resolve(hostId + JSON);
    }

    private Path templateFile(String name) {
        Template.checkName(name);
        return templatesDirectory.resolve(name + JSON);
    }

    private void reserveBelow(long bound) throws IOException {
        AtomicFiles.write(directory.resolve(WORKSPACE_FILE), WorkspaceJson.workspaceToJson(bound, id));
        reservedBelow = bound;
    }

    private void load() throws IOException {
        for (Path folder : List.of(directory, partitionsDirectory, templatesDirectory, hostsDirectory)) {
            AtomicFiles.deleteLeftovers(folder);
        }
        long highestNumber = 0;
        for (Path file : jsonFiles(partitionsDirectory)) {
            String id = baseName(file);
            if (!InstanceGuid.isValid(id)) {
                setAside(file, "the file name is not an instance guid (SOFTINST-<number>.json)");
                continue;
            }
            // counted even if the file is unreadable: its id may come back once the file is repaired
            highestNumber = Math.max(highestNumber, InstanceGuid.number(id));
            readOrSetAside(file, json -> named(file, WorkspaceJson.partitionFromJson(json), Partition::id))
                    .ifPresent(partition -> partitions.put(id, partition));
        }
        for (Path file : jsonFiles(templatesDirectory)) {
            readOrSetAside(file, json -> named(file, WorkspaceJson.templateFromJson(json), Template::name))
                    .ifPresent(template -> templates.put(template.name(), template));
        }
        for (Path file : jsonFiles(hostsDirectory)) {
            readOrSetAside(file, json -> named(file, WorkspaceJson.hostFromJson(json), Host::id))
                    .ifPresent(host -> hosts.put(host.id(), host));
        }
        loadWorkspaceFile(highestNumber + 1);
    }

    /**
     * The counter is never below {@code lowest}: a lost or stale counter must not hand out the id of an
     * existing partition. A lost id is made up anew (what it named on hosts is then reported as not ours).
     */
    private void loadWorkspaceFile(long lowest) throws IOException {
        Path file = directory.resolve(WORKSPACE_FILE);
        Optional<WorkspaceJson.WorkspaceFile> stored = Files.exists(file)
                ? readOrSetAside(file, WorkspaceJson::workspaceFromJson)
                : Optional.empty();
        nextInstanceNumber = Math.max(lowest, stored.map(WorkspaceJson.WorkspaceFile::nextInstanceNumber).orElse(1L));
        id = stored.map(WorkspaceJson.WorkspaceFile::id).filter(s -> s != null && !s.isBlank())
                .orElseGet(() -> java.util.UUID.randomUUID().toString());
        reservedBelow = stored.map(WorkspaceJson.WorkspaceFile::nextInstanceNumber).orElse(1L);
        if (stored.map(f -> f.nextInstanceNumber() != nextInstanceNumber || !id.equals(f.id())).orElse(true)) {
            reserveBelow(nextInstanceNumber);
        }
    }

    @FunctionalInterface
    private interface Loader<T> {
        T load(byte[] json) throws WorkspaceFormatException;
    }

    private <T> Optional<T> readOrSetAside(Path file, Loader<T> loader) throws IOException {
        try {
            return Optional.of(loader.load(InputFiles.read(file)));
        } catch (InputFileException e) {
            setAside(file, e.reason());
            return Optional.empty();
        } catch (WorkspaceFormatException e) {
            setAside(file, e.getMessage());
            return Optional.empty();
        }
    }

    /** A file must hold the value it is named after; else saving that value would write another file. */
    private static <T> T named(Path file, T value, Function<T, String> nameOf) throws WorkspaceFormatException {
        String name = nameOf.apply(value);
        if (!name.equals(baseName(file))) {
            throw new WorkspaceFormatException("the file is named " + file.getFileName() + " but holds " + name);
        }
        return value;
    }

    /** Moves an unreadable file to {@code corrupt/} (same sub-folder, time-stamped, never overwriting) and records why. */
    private void setAside(Path file, String reason) throws IOException {
        Path folder = directory.resolve(CORRUPT).resolve(directory.relativize(file.getParent()));
        Files.createDirectories(folder);
        String stamped = file.getFileName() + "." + SET_ASIDE_STAMP.format(Instant.now());
        for (int attempt = 1;; attempt++) {
            Path keptAs = folder.resolve(attempt == 1 ? stamped : stamped + "-" + attempt);
            try {
                Files.move(file, keptAs);
                loadProblems.add(new LoadProblem(file, keptAs, reason));
                return;
            } catch (FileAlreadyExistsException taken) {
                // another file was set aside under this name in the same second: try the next suffix
            }
        }
    }

    private static List<Path> jsonFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(JSON) && Files.isRegularFile(file))
                    .sorted()
                    .toList();
        }
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - JSON.length());
    }
}
