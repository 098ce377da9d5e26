package org.castellan.cli;

import org.castellan.cli.http.AdminApi;
import org.castellan.cli.output.Output;

/** What an API command works with: the connected API, where to print, and the host (for the clock). */
public record Session(AdminApi api, Output output, Host host) {}
