"""No zero_grad: gradients already in .grad (and those of earlier calls) add up."""
MUST_FAIL = ["3.2"]   # 3.1 runs on clean gradients: charged once, by 3.2 (issue 26)
REPLACE = [("    model.zero_grad()\n    loss = loss_fn(model(x), y)\n", "    loss = loss_fn(model(x), y)\n")]
