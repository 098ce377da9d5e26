package org.castellan.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code castellan --version}: the version and commit the three binaries share ({@link org.castellan.protocol.BuildVersion}). */
public final class CastellanVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {org.castellan.protocol.BuildVersion.line("castellan")};
    }
}
