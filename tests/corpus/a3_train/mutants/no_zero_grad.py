"""Never zeroes the gradients: they accumulate over the batches."""
MUST_FAIL = ["3.1", "6.1"]
REPLACE = [("        optimizer.zero_grad()\n        logits = model(images)\n        loss = loss_fn(logits, labels)\n",
            "        logits = model(images)\n        loss = loss_fn(logits, labels)\n")]
