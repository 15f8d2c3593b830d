"""Kaiming "normal" draws a uniform law with the right variance: only the law's shape is wrong."""
MUST_FAIL = ["4.1", "8.3"]
REPLACE = [("    with torch.no_grad():\n        return tensor.normal_(0.0, std)\n    # END SOLUTION\n\n\ndef kaiming_uniform_",
            "    with torch.no_grad():\n        return tensor.uniform_(-math.sqrt(3.0) * std, math.sqrt(3.0) * std)\n"
            "    # END SOLUTION\n\n\ndef kaiming_uniform_")]
