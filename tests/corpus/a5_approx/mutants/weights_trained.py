"""bump_network trains the network on f instead of setting its weights by hand."""
MUST_FAIL = ["2.2"]
REPLACE = [("    return model\n    # END SOLUTION\n\n\ndef train_approximator",
            "    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)\n"
            "    x = torch.rand(256, 1)\n"
            "    for _ in range(20):\n"
            "        optimizer.zero_grad()\n"
            "        loss = ((model(x) - f(x)) ** 2).mean()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "    return model\n    # END SOLUTION\n\n\ndef train_approximator")]
