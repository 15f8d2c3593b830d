"""evaluate builds a graph for every batch (no torch.no_grad())."""
MUST_FAIL = ["4.2"]
REPLACE = [("    with torch.no_grad():\n        for images, labels in loader:\n            images, labels = images.to(device), labels.to(device)\n"
            "            logits = model(images)\n            if loss_fn",
            "    if True:\n        for images, labels in loader:\n            images, labels = images.to(device), labels.to(device)\n"
            "            logits = model(images)\n            if loss_fn")]
