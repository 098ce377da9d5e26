package org.castellan.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.server.agent.fixture.OpensAnEnvelopeItself;
import org.castellan.server.fixture.cycle.a.CycleA;
import org.castellan.server.fixture.cycle.b.CycleB;
import org.castellan.server.http.fixture.ToolkitThatKnowsAFeature;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

/**
 * The package picture of server-lite: http/ a toolkit, layers without cycles, envelopes opened through
 * one guard. Each rule is also shown to fail.
 */
@NoDatabase("no database, no server: the same on either backend")
class ArchitectureTest {
    @Test
    void theRulesLookAtTheWholeServer() {
        assertThat(ServerArchitecture.mainClasses().size()).isGreaterThan(150);
        assertThat(ServerArchitecture.mainClasses().containPackage("org.castellan.server.fixture.cycle.a")).isFalse();
    }

    @Test
    void httpImportsNoFeaturePackage() {
        ServerArchitecture.HTTP_IS_A_TOOLKIT.check(ServerArchitecture.mainClasses());
    }

    @Test
    void aToolkitClassThatImportsAFeatureIsCaught() {
        assertThat(ServerArchitecture.HTTP_IS_A_TOOLKIT.evaluate(ServerArchitecture.classes(ToolkitThatKnowsAFeature.class))
                .hasViolation()).isTrue();
    }

    @Test
    void packagesFormNoCycle() {
        ServerArchitecture.NO_PACKAGE_CYCLES.check(ServerArchitecture.mainClasses());
    }

    @Test
    void aPackageCycleIsCaught() {
        assertThat(ServerArchitecture.NO_PACKAGE_CYCLES.evaluate(ServerArchitecture.classes(CycleA.class, CycleB.class))
                .hasViolation()).isTrue();
    }

    @Test
    void envelopesAreOpenedOnlyThroughTheGuardThatRefusesInsideAWrite() {
        ServerArchitecture.ENVELOPES_OPEN_THROUGH_THE_GUARD.check(ServerArchitecture.mainClasses());
        assertThat(ServerArchitecture.ENVELOPES_OPEN_THROUGH_THE_GUARD
                .evaluate(ServerArchitecture.classes(OpensAnEnvelopeItself.class)).hasViolation()).isTrue();
    }

    @Test
    void featurePackagesKnowNothingOfTheGuardsOrTheApiSurfaces() {
        ServerArchitecture.FEATURES_BELOW_GUARDS.check(ServerArchitecture.mainClasses());
        ServerArchitecture.ROOT_ON_TOP.check(ServerArchitecture.mainClasses());
    }
}
