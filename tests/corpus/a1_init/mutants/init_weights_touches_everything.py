"""init_weights initializes every module that has a 2-D weight or a bias, not only nn.Linear."""
MUST_FAIL = ["7.1", "7.2", "8.4"]
REPLACE = [("    if isinstance(module, nn.Linear):\n        SCHEMES[scheme](module.weight)",
            "    if getattr(module, \"weight\", None) is not None:\n"
            "        if module.weight.dim() >= 2:\n            SCHEMES[scheme](module.weight)")]
