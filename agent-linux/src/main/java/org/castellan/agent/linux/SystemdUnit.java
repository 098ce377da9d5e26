package org.castellan.agent.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.castellan.agent.spi.ServiceSpec;

/**
 * Renders the systemd unit that runs the agent; a pure function, so it is tested as text. The
 * package's static unit (packaging/src/deb/agent/castellan-agent.service) is this text for the
 * packaged paths (a test keeps the two equal), so a hardening change is made here and copied there.
 *
 * <p>Every exposure that {@code systemd-analyze security} still counts is named in a comment in
 * the unit with the reason the agent cannot live without it. docs/systemd-units.md has the scores.
 */
final class SystemdUnit {
    private SystemdUnit() {}

    static String render(ServiceSpec spec) {
        List<String> lines = new ArrayList<>(List.of(
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
                "# The JVM answers SIGTERM by running its shutdown hooks (the agent finishes the check-in in",
                "# progress) and then exits 143; that is a clean stop, not a failure.",
                "SuccessExitStatus=143",
                "UMask=0077"));
        lines.addAll(HARDENING);
        lines.add("ReadWritePaths=/etc " + plainPath(spec.stateDir().toString()));
        lines.addAll(List.of("", "[Install]", "WantedBy=multi-user.target", ""));
        return String.join("\n", lines);
    }

    /**
     * What the agent can live without, and why each remaining exposure stays. It runs as root
     * because chpasswd (and, later, useradd for {@code selftest}, visudo for just-in-time sudoers
     * drop-ins and cryptsetup for LUKS key slots) edit root's files; everything else is taken away.
     */
    static final List<String> HARDENING = List.of(
            "# --- Hardening (systemd-analyze security castellan-agent.service). What stays exposed, and why:",
            "# - User=root: chpasswd rewrites /etc/shadow; useradd/userdel (selftest), visudo and",
            "#   /etc/sudoers.d (just-in-time grants) and cryptsetup luksAddKey (LUKS key slots) need root too.",
            "# - CAP_CHOWN: chpasswd and useradd write a new /etc/shadow and hand it to group shadow",
            "#   (measured: without it pam_chauthtok fails). Every other capability is dropped; root still",
            "#   owns the files it edits, so no CAP_DAC_OVERRIDE or CAP_FOWNER.",
            "# - @privileged system calls: chown(2) is in that group; the rest of it is not needed.",
            "# - PrivateUsers=no: a user namespace would map group shadow to nobody and break that chown.",
            "# - ReadWritePaths=/etc: chpasswd, useradd and visudo replace files by renaming in /etc (the",
            "#   directory must be writable, not just the files), plus the state directory.",
            "# - AF_INET/AF_INET6: HTTPS to the server. AF_UNIX: PAM and useradd log to syslog (/dev/log).",
            "# - PrivateNetwork=no, no IPAddressDeny: the server may be anywhere the admin registered it.",
            "# - MemoryDenyWriteExecute=no: the JVM's JIT compiler writes and then runs machine code.",
            "# - ProcSubset=all: the agent reads its host name from /proc/sys/kernel/hostname.",
            "# - DeviceAllow=char-rtc r: added by ProtectClock=yes (read-only /dev/rtc); harmless.",
            "# - RootDirectory=/RootImage= none: the point is to edit this machine's own /etc;",
            "#   ProtectSystem=strict makes the rest of the tree read-only instead.",
            "# Room kept for what is coming: cryptsetup luksAddKey/open --test-passphrase on an image file",
            "# run under these settings; LUKS on a block device will need PrivateDevices=no with",
            "# DevicePolicy=closed and DeviceAllow=block-* rw (and CAP_SYS_ADMIN only to activate a",
            "# mapping). useradd must be called with -M -l (no home under the hidden /home, no write to",
            "# /var/log/lastlog). The agent must not run sudo itself (it would need setuid, refused here).",
            "NoNewPrivileges=yes",
            "CapabilityBoundingSet=CAP_CHOWN",
            "AmbientCapabilities=",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "PrivateDevices=yes",
            "PrivateMounts=yes",
            "ProtectKernelTunables=yes",
            "ProtectKernelModules=yes",
            "ProtectKernelLogs=yes",
            "ProtectControlGroups=yes",
            "ProtectClock=yes",
            "ProtectHostname=yes",
            "ProtectProc=invisible",
            "RestrictNamespaces=yes",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
            "RestrictSUIDSGID=yes",
            "RestrictRealtime=yes",
            "LockPersonality=yes",
            "SystemCallArchitectures=native",
            "SystemCallFilter=@system-service",
            "SystemCallFilter=~@resources",
            "SystemCallErrorNumber=EPERM");

    /** A path systemd reads the same in any setting: no quoting, no specifiers, no spaces. */
    static String plainPath(String path) {
        if (!path.matches(PLAIN_PATH)) {
            throw new IllegalArgumentException("the state directory must be an absolute path of letters, digits"
                    + " and . _ - + @ / only: " + path);
        }
        return path;
    }

    static final String PLAIN_PATH = "/[A-Za-z0-9_./@+-]*";

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
