"""train_one_epoch averages per-batch accuracies: the short last batch counts as much as a full one."""
MUST_FAIL = ["3.2"]
REPLACE = [("    total_loss, correct, seen, losses = 0.0, 0, 0, []\n",
            "    total_loss, correct, seen, losses, batch_accuracies = 0.0, 0, 0, [], []\n"),
           ("        correct += (logits.argmax(dim=1) == labels).sum().item()\n        seen += len(labels)\n    return",
            "        batch_accuracies.append((logits.argmax(dim=1) == labels).float().mean().item())\n"
            "        seen += len(labels)\n    return"),
           ('    return {"loss": total_loss / seen, "accuracy": correct / seen, "losses": losses}',
            '    return {"loss": total_loss / seen, "accuracy": sum(batch_accuracies) / len(batch_accuracies), '
            '"losses": losses}')]
