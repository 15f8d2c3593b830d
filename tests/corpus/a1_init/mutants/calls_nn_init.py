"""Xavier normal delegates to torch.nn.init, bound by name at import time."""
MUST_FAIL = ["6.4"]
REPLACE = [("from torch import nn\n", "from torch import nn\nfrom torch.nn.init import xavier_normal_ as _library_xavier\n"),
           ("    with torch.no_grad():\n        return tensor.normal_(0.0, std)\n    # END SOLUTION\n\n\ndef xavier_uniform_",
            "    return _library_xavier(tensor, gain)\n    # END SOLUTION\n\n\ndef xavier_uniform_")]
