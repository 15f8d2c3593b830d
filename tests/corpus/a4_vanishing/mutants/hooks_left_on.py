"""The forward hooks are never removed."""
MUST_FAIL = ["4.2"]
REPLACE = [("        for handle in handles:\n            handle.remove()\n", "        pass\n")]
