"""The histograms show the 1st junction (784 -> 200) instead of the 2nd."""
MUST_FAIL = ["6.2", "7.4"]
REPLACE = [('ax.hist(result["junction"].flatten().numpy(), bins=40)', 'ax.hist(result["model"][0].weight.detach().flatten().numpy(), bins=40)')]
