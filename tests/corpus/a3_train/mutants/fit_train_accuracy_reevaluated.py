"""fit records the training accuracy by evaluating the model on the training loader after the epoch,
instead of the accuracy train_one_epoch returned."""
MUST_FAIL = ["5.2"]
REPLACE = [("        history[\"train_accuracy\"].append(epoch[\"accuracy\"])",
            "        history[\"train_accuracy\"].append(evaluate(model, train_loader, device)[\"accuracy\"])")]
