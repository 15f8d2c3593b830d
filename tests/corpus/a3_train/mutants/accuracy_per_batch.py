"""evaluate averages per-batch accuracies: the short last batch counts as much as a full one."""
MUST_FAIL = ["4.3", "6.2"]
REPLACE = [("            correct += (logits.argmax(dim=1) == labels).sum().item()\n            seen += len(labels)\n"
            "    return {\"accuracy\": correct / seen,",
            "            correct += (logits.argmax(dim=1) == labels).float().mean().item()\n            seen += 1\n"
            "    return {\"accuracy\": correct / seen,")]
