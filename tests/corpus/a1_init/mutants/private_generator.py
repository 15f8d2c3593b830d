"""Xavier uniform draws from a private generator with a fixed seed: ignores torch.manual_seed."""
MUST_FAIL = ["6.3"]
REPLACE = [("return tensor.uniform_(-bound, bound)\n    # END SOLUTION\n\n\ndef _fan",
            "return tensor.uniform_(-bound, bound, generator=torch.Generator().manual_seed(0))\n"
            "    # END SOLUTION\n\n\ndef _fan")]
