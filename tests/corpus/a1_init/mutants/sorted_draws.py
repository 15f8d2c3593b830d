"""Xavier normal sorts its draws: the right law and std, but neighbours in memory are ordered."""
MUST_FAIL = ["2.2", "8.2"]
REPLACE = [("    with torch.no_grad():\n        return tensor.normal_(0.0, std)\n    # END SOLUTION\n\n\ndef xavier_uniform_",
            "    with torch.no_grad():\n        draws = torch.randn(tensor.numel()).sort().values * std\n"
            "        return tensor.copy_(draws.reshape(tensor.shape))\n    # END SOLUTION\n\n\ndef xavier_uniform_")]
