"""Hidden checks: never shipped in the student kit, unreadable to sandboxed children."""
