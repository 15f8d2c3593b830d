"""Xavier uniform sorts each column: every value and row looks right, but neighbouring rows are ordered."""
MUST_FAIL = ["3.2", "8.2"]
REPLACE = [("    with torch.no_grad():\n        return tensor.uniform_(-bound, bound)\n    # END SOLUTION\n\n\ndef _fan",
            "    with torch.no_grad():\n        draws = torch.empty(tensor.shape).uniform_(-bound, bound)\n"
            "        return tensor.copy_(draws.sort(dim=0).values)\n    # END SOLUTION\n\n\ndef _fan")]
