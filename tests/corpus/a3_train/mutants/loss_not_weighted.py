"""Mean loss as the mean of batch losses: the short last batch weighs as much as a full one."""
MUST_FAIL = ["3.2"]
REPLACE = [("    return {\"loss\": total_loss / seen, \"accuracy\": correct / seen, \"losses\": losses}",
            "    return {\"loss\": sum(losses) / len(losses), \"accuracy\": correct / seen, \"losses\": losses}")]
