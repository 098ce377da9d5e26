package org.castellan.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildVersionTest {
    @Test
    void theBuildWritesTheProjectVersionAndTheCommit() {
        assertThat(BuildVersion.version()).as("the build wrote build-version").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(BuildVersion.commit()).matches("[0-9a-f]{12}(-dirty)?|unknown");
        assertThat(BuildVersion.line("castellan-agent"))
                .isEqualTo("castellan-agent " + BuildVersion.version() + " (commit " + BuildVersion.commit() + ")");
    }
}
