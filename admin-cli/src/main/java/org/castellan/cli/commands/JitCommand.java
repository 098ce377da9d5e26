package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan jit ...}: just-in-time admin rights on one device (permission device.jit). */
@Command(name = "jit", description = {"Just-in-time admin rights: a user is a local administrator of one device for a"
        + " bounded time, granted and removed by the device's agent (at the end even when the server is unreachable)."},
        subcommands = {JitRequestCommand.class, JitListCommand.class, JitApproveCommand.class, JitRevokeCommand.class})
public final class JitCommand extends CommandGroup {}
