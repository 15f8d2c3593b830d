"""Unknown activation or init names are not refused (a KeyError, or a silent fallback)."""
MUST_FAIL = ["2.3"]
REPLACE = [("    if activation not in ACTIVATIONS:\n        raise ValueError(f\"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}\")\n"
            "    if init not in INITS:\n        raise ValueError(f\"unknown init {init!r}; choose one of {list(INITS)}\")\n", "")]
