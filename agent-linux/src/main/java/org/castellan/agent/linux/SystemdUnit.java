package org.castellan.agent.linux;

import java.util.List;
import java.util.stream.Collectors;
import org.castellan.agent.spi.ServiceSpec;

/** Renders the systemd unit that runs the agent; a pure function, so it is tested as text. */
final class SystemdUnit {
    private SystemdUnit() {}

    static String render(ServiceSpec spec) {
        // ProtectHome=yes hides /home and /root; if the agent itself lives there (a manual
        // install), it must still be readable, so fall back to read-only.
        boolean underHome = spec.command().stream().anyMatch(a -> a.startsWith("/home/") || a.startsWith("/root/")
                || a.contains(":/home/") || a.contains(":/root/"));
        return String.join("\n",
                "# Written by 'castellan-agent install-service'; remove with 'castellan-agent uninstall-service'.",
                "[Unit]",
                "Description=Castellan agent (local administrator password rotation)",
                "Wants=network-online.target",
                "After=network-online.target",
                "",
                "[Service]",
                "Type=simple",
                "ExecStart=" + execLine(spec.command()),
                "Restart=on-failure",
                "RestartSec=30",
                "TimeoutStopSec=60",
                "UMask=0077",
                // Hardening. Not ProtectSystem=full/strict: chpasswd must write /etc/shadow.
                "NoNewPrivileges=yes",
                "ProtectSystem=yes",
                "ProtectHome=" + (underHome ? "read-only" : "yes"),
                "PrivateTmp=yes",
                "PrivateDevices=yes",
                "ProtectKernelTunables=yes",
                "ProtectKernelModules=yes",
                "ProtectControlGroups=yes",
                "RestrictSUIDSGID=yes",
                "RestrictRealtime=yes",
                "LockPersonality=yes",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "");
    }

    /** systemd's command-line quoting: each word double-quoted, with \ " escaped and % $ doubled. */
    static String execLine(List<String> command) {
        return command.stream().map(SystemdUnit::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        if (word.indexOf('\n') >= 0 || word.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a service command cannot contain a line break");
        }
        String escaped = word.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%").replace("$", "$$");
        return word.matches("[A-Za-z0-9_./:=@+-]+") ? escaped : "\"" + escaped + "\"";
    }
}
