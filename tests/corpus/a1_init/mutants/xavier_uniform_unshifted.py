"""torch.rand-style U(0, a): never shifted to be symmetric around 0."""
MUST_FAIL = ["3.1", "3.2", "3.3"]
REPLACE = [("return tensor.uniform_(-bound, bound)\n    # END SOLUTION\n\n\ndef _fan",
            "return tensor.uniform_(0.0, bound)\n    # END SOLUTION\n\n\ndef _fan")]
