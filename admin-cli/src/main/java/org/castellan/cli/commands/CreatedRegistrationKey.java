package org.castellan.cli.commands;

import org.castellan.protocol.Secret;

/** {@code POST /registration-keys}'s answer; the key is in it once and only once. */
record CreatedRegistrationKey(String id, Secret key, String name, Integer maxUses, String expiresAt) {}
