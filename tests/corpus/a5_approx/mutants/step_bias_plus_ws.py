"""bump_network sets the biases to +w s: every step sits at -s, left of [0, 1]."""
MUST_FAIL = ["2.2", "2.3", "4.1"]
REPLACE = [("        model[0].bias.copy_(-w * torch.cat([left, right]))",
            "        model[0].bias.copy_(w * torch.cat([left, right]))")]
