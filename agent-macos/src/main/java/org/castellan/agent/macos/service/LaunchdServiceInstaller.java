package org.castellan.agent.macos.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;

/**
 * Installs the agent as a launchd daemon: writes the plist (root:wheel 0644), then
 * {@code launchctl enable} and {@code launchctl bootstrap system}. Enable comes first because
 * launchd refuses to bootstrap a service that an earlier uninstall or an admin left disabled.
 */
public final class LaunchdServiceInstaller implements ServiceInstaller {
    static final String TARGET = "system/" + LaunchdPaths.LABEL;
    private static final Pattern STATE = Pattern.compile("^\\s*state = (\\S+)", Pattern.MULTILINE);

    private final CommandRunner runner;
    private final MacTools tools;
    private final LaunchdPaths paths;
    private final SafePaths safePaths;

    public LaunchdServiceInstaller(CommandRunner runner, MacTools tools, LaunchdPaths paths, PathOwnership ownership) {
        this.runner = runner;
        this.tools = tools;
        this.paths = paths;
        this.safePaths = new SafePaths(ownership);
    }

    @Override
    public void checkCanInstall(ServiceSpec spec) throws PlatformException {
        List<String> command = spec.command();
        if (command.isEmpty()) {
            throw new PlatformException("service-install-failed", "install launchd daemon: the service command is empty");
        }
        if (!Files.isExecutable(Path.of(tools.launchctl()))) {
            throw new PlatformException("launchd-missing", "no " + tools.launchctl()
                    + " here, so there is no launchd to install a daemon into");
        }
        safePaths.requireRootOwned(Path.of(command.get(0)), "java executable");
        for (Path jar : classPath(command)) {
            safePaths.requireRootOwned(jar, "agent jar");
        }
    }

    /** Checks first, then writes; if launchd refuses the daemon, the plist it replaced (or none) is put back. */
    @Override
    public void install(ServiceSpec spec) throws PlatformException {
        checkCanInstall(spec);
        byte[] previous = readPrevious();
        writePlist(PlistWriter.write(LaunchdPlist.daemon(spec.command(), paths)));
        try {
            if (previous != null) {
                // A loaded daemon keeps its old definition until it is booted out.
                launchctl("bootout", TARGET);
            }
            require(launchctl("enable", TARGET), "launchctl enable " + TARGET);
            require(launchctl("bootstrap", "system", paths.plist().toString()), "launchctl bootstrap system " + paths.plist());
        } catch (PlatformException e) {
            undo(previous, e);
            throw e;
        }
    }

    private void undo(byte[] previous, PlatformException failure) {
        try {
            launchctl("bootout", TARGET);
            if (previous == null) {
                Files.deleteIfExists(paths.plist());
            } else {
                writePlist(new String(previous, StandardCharsets.UTF_8));
                launchctl("bootstrap", "system", paths.plist().toString());
            }
        } catch (IOException | PlatformException e) {
            failure.addSuppressed(e);
        }
    }

    private byte[] readPrevious() throws PlatformException {
        try {
            return Files.isRegularFile(paths.plist()) ? Files.readAllBytes(paths.plist()) : null;
        } catch (IOException e) {
            throw new PlatformException("service-install-failed", "read " + paths.plist() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void uninstall() throws PlatformException {
        CommandResult bootout = launchctl("bootout", TARGET);
        if (!bootout.succeeded() && !notLoaded(bootout)) {
            throw new PlatformException("service-uninstall-failed", "launchctl bootout " + TARGET + ": exit "
                    + bootout.exitCode() + ": " + bootout.combinedOutput().strip());
        }
        try {
            Files.deleteIfExists(paths.plist());
        } catch (IOException e) {
            throw new PlatformException("service-uninstall-failed", "remove " + paths.plist() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String status() throws PlatformException {
        if (!Files.exists(paths.plist())) {
            return "not installed";
        }
        CommandResult print = launchctl("print", TARGET);
        if (!print.succeeded()) {
            return "installed (" + paths.plist() + "), not loaded";
        }
        Matcher state = STATE.matcher(print.stdout());
        return "installed (" + paths.plist() + "), loaded, state " + (state.find() ? state.group(1) : "unknown");
    }

    /** The agent jar(s) named after {@code -jar} or in a {@code -cp}/{@code -classpath} list. */
    static List<Path> classPath(List<String> command) {
        for (int i = 1; i + 1 < command.size(); i++) {
            String arg = command.get(i);
            if (arg.equals("-jar")) {
                return List.of(Path.of(command.get(i + 1)));
            }
            if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
                return java.util.Arrays.stream(command.get(i + 1).split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
            }
        }
        return List.of();
    }

    private void writePlist(String xml) throws PlatformException {
        Path plist = paths.plist();
        Path temp = plist.resolveSibling("." + plist.getFileName() + ".tmp");
        try {
            Files.createDirectories(paths.logDir());
            Files.createDirectories(plist.getParent());
            Files.deleteIfExists(temp);
            Files.writeString(temp, xml, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            if (paths.rootOwnership()) {
                // launchd ignores a daemon plist that is not owned by root or is writable by others.
                PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
                UserPrincipalLookupService lookup = temp.getFileSystem().getUserPrincipalLookupService();
                view.setOwner(lookup.lookupPrincipalByName("root"));
                GroupPrincipal wheel = lookup.lookupPrincipalByGroupName("wheel");
                view.setGroup(wheel);
            }
            try {
                Files.move(temp, plist, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, plist, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PlatformException("service-install-failed", "write " + plist + ": " + e.getMessage(), e);
        }
    }

    private CommandResult launchctl(String... args) throws PlatformException {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(tools.launchctl());
        argv.addAll(List.of(args));
        try {
            return runner.run(argv);
        } catch (CommandException e) {
            throw new PlatformException("service-install-failed", "launchctl " + String.join(" ", args) + ": " + e.getMessage(), e);
        }
    }

    private static void require(CommandResult result, String what) throws PlatformException {
        if (!result.succeeded()) {
            throw new PlatformException("service-install-failed", what + ": exit " + result.exitCode() + ": " + result.combinedOutput().strip());
        }
    }

    /** "Boot-out failed: 3: No such process" (older) or exit 113 "Could not find specified service". */
    private static boolean notLoaded(CommandResult result) {
        String output = result.combinedOutput().toLowerCase(Locale.ROOT);
        return result.exitCode() == 3 || result.exitCode() == 113
                || output.contains("no such process") || output.contains("could not find");
    }
}
