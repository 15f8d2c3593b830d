"""Any mode other than 'fan_in' silently means fan_out: no ValueError."""
MUST_FAIL = ["4.3", "5.3"]
REPLACE = [("    if mode not in (\"fan_in\", \"fan_out\"):\n        raise ValueError(f\"mode must be 'fan_in' or 'fan_out', not {mode!r}\")\n", "")]
