"""fit keeps only the mean loss of each epoch instead of every iteration's loss."""
MUST_FAIL = ["5.2"]
REPLACE = [("        history[\"train_loss\"].extend(epoch[\"losses\"])", "        history[\"train_loss\"].append(epoch[\"loss\"])")]
