"""The 'validation' accuracy is measured on the training loader."""
MUST_FAIL = ["5.1", "7.5"]
REPLACE = [("            for images, labels in val_loader:\n", "            for images, labels in train_loader:\n")]
