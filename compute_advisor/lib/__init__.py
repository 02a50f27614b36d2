"""Plain helpers the apps share: environment readers, logging, middleware, health, the client address and
the fail-open cache. Nothing here knows about scenarios or prices."""
