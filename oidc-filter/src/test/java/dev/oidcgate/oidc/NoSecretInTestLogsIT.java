package dev.oidcgate.oidc;

import dev.oidcgate.testlogs.NoSecretInTestLogsCheck;

/** The log leak check ({@link NoSecretInTestLogsCheck}) over this module's unit tests. */
class NoSecretInTestLogsIT extends NoSecretInTestLogsCheck {}
