"""The norms of the biases' gradients instead of the weights'."""
MUST_FAIL = ["3.1", "3.2", "7.2"]
REPLACE = [("module.weight.grad.norm().item()", "module.bias.grad.norm().item()")]
