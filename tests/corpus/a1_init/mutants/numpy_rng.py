"""Kaiming normal draws with numpy: torch.manual_seed does not reproduce it."""
MUST_FAIL = ["6.3"]
REPLACE = [("    with torch.no_grad():\n        return tensor.normal_(0.0, std)\n    # END SOLUTION\n\n\ndef kaiming_uniform_",
            "    import numpy as np\n    with torch.no_grad():\n"
            "        return tensor.copy_(torch.from_numpy(np.random.normal(0.0, std, tuple(tensor.shape))))\n"
            "    # END SOLUTION\n\n\ndef kaiming_uniform_")]
