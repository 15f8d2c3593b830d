"""Bump heights read from f on a fixed 10-bin grid whatever n is (a constant left from a first try with
n = 10): more bumps, the same staircase, so the error does not shrink."""
MUST_FAIL = ["2.4"]
REPLACE = [("    heights = f((edges[:-1] + edges[1:]) / 2).reshape(n).float()",
            "    heights = f(torch.floor(((edges[:-1] + edges[1:]) / 2) * 10) / 10 + 0.05).reshape(n).float()")]
