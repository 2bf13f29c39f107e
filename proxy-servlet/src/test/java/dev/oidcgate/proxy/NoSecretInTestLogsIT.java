package dev.oidcgate.proxy;

import dev.oidcgate.testlogs.NoSecretInTestLogsCheck;

/** The log leak check ({@link NoSecretInTestLogsCheck}) over this module's unit tests. */
class NoSecretInTestLogsIT extends NoSecretInTestLogsCheck {}
