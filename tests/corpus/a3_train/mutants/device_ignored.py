"""Never moves the batches to the device."""
MUST_FAIL = ["3.3"]
REPLACE = [("        images, labels = images.to(device), labels.to(device)\n        optimizer.zero_grad()",
            "        optimizer.zero_grad()"),
           ("        images, labels = images.to(device), labels.to(device)\n            logits = model(images)",
            "        logits = model(images)")]
