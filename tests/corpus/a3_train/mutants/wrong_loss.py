"""Ignores the loss_fn it is given and trains on a mean-squared error against one-hot labels."""
MUST_FAIL = ["3.1", "3.2", "6.1"]
REPLACE = [("        loss = loss_fn(logits, labels)\n        loss.backward()",
            "        loss = torch.nn.functional.mse_loss(logits, torch.nn.functional.one_hot(labels, 10).float())\n"
            "        loss.backward()")]
