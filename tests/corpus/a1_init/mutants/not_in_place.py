"""Xavier normal returns a new tensor instead of filling the one it was given."""
MUST_FAIL = ["6.1", "6.2", "2.1"]
REPLACE = [("    with torch.no_grad():\n        return tensor.normal_(0.0, std)\n    # END SOLUTION\n\n\ndef xavier_uniform_",
            "    return torch.randn(tensor.shape) * std\n    # END SOLUTION\n\n\ndef xavier_uniform_")]
