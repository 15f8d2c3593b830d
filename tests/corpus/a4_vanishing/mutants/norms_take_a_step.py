"""Measures, then also takes an SGD step: the model changes."""
MUST_FAIL = ["3.2"]
REPLACE = [("    loss.backward()\n    return [module.weight.grad.norm().item()",
            "    loss.backward()\n    torch.optim.SGD(model.parameters(), lr=0.1).step()\n"
            "    return [module.weight.grad.norm().item()")]
