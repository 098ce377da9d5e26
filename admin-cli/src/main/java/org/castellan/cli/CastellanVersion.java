package org.castellan.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code castellan --version}: the jar's Implementation-Version when packaged, else "dev". */
public final class CastellanVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = CastellanMain.class.getPackage().getImplementationVersion();
        return new String[] {"castellan " + (version != null ? version : "dev")};
    }
}
