package org.castellan.agent.windows.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.account.Sids;

/** Creates the state directory and restricts it (and what is already in it) to SYSTEM and Administrators. */
public final class StateDirSecurity {
    private final FileSecurity files;

    public StateDirSecurity(FileSecurity files) {
        this.files = files;
    }

    public void secure(Path stateDir) throws PlatformException {
        try {
            Files.createDirectories(stateDir);
            UserPrincipal system = files.principalOfSid(Sids.LOCAL_SYSTEM);
            UserPrincipal administrators = files.principalOfSid(Sids.BUILTIN_ADMINISTRATORS);
            files.setAcl(stateDir, StateDirAcl.entries(system, administrators, true));
            files.protectFromInheritance(stateDir);
            List<Path> children;
            try (Stream<Path> walk = Files.walk(stateDir)) {
                children = walk.filter(p -> !p.equals(stateDir)).toList();
            }
            for (Path child : children) {
                files.setAcl(child, StateDirAcl.entries(system, administrators, Files.isDirectory(child)));
            }
        } catch (IOException e) {
            throw new PlatformException("state-dir-insecure", "restrict state directory " + stateDir
                    + " to SYSTEM and Administrators: " + e.getMessage(), e);
        }
    }
}
