package org.castellan.agent.macos.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlistReaderTest {
    @Test
    void readsNestedValuesOfEveryType() throws Exception {
        String xml = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
                + "<key>s</key><string>a &amp; b</string><key>i</key><integer>-7</integer><key>r</key><real>1.5</real>"
                + "<key>t</key><true/><key>f</key><false/><key>a</key><array><string>x</string><integer>1</integer></array>"
                + "<key>d</key><dict><key>k</key><string>v</string></dict><key>data</key><data>AAEC\n AwQ=</data>"
                + "</dict></plist>";

        Map<String, Object> dict = PlistReader.readDict(xml);

        assertThat(dict).containsEntry("s", "a & b").containsEntry("i", -7L).containsEntry("r", 1.5)
                .containsEntry("t", true).containsEntry("f", false).containsEntry("a", List.of("x", 1L))
                .containsEntry("d", Map.of("k", "v")).containsEntry("data", "AAECAwQ=");
    }

    @Test
    void internalEntityDeclarationsAreRefused() {
        String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                + "<plist><dict><key>k</key><string>&b;</string></dict></plist>";

        assertThatThrownBy(() -> PlistReader.readDict(billionLaughs)).isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void otherDoctypeThanApplesIsRefused() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE plist SYSTEM \"http://attacker.example/x.dtd\"><plist><dict/></plist>";

        assertThatThrownBy(() -> PlistReader.readDict(xml)).isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void dictWithAKeyButNoValueIsRefused() {
        assertThatThrownBy(() -> PlistReader.readDict("<plist><dict><key>k</key></dict></plist>"))
                .isInstanceOf(UnexpectedOutputException.class);
    }
}
