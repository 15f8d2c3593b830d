"""The norms listed output layer first."""
MUST_FAIL = ["3.1", "7.2"]
REPLACE = [("if isinstance(module, nn.Linear)]\n    # END SOLUTION\n\n\ndef saturated",
            "if isinstance(module, nn.Linear)][::-1]\n    # END SOLUTION\n\n\ndef saturated")]
